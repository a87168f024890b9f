package dev.pipeline.deploy.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.trigger.ExecutionGateway;
import dev.pipeline.deploy.trigger.ExecutionNames;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.provision.notify.Notification;
import dev.pipeline.provision.notify.NotificationGateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ReleaseLock: ends this run's hold on the deploy lock and hands it to the newest queued upload
 * ({@link DeployLock#release}), records the skipped ones SUPERSEDED with one notification for them all, and starts
 * the next upload's execution ({@link ExecutionNames#resumed}) on this run's state machine. Idempotency keys: the
 * lock's last hand-off (a retry learns the same decision), the execution name (started once), and the records'
 * status (a release already recorded SUPERSEDED is not announced again).
 */
public class ReleaseLockService {
    private final DeployLock lock;
    private final ReleaseStore releases;
    private final NotificationGateway notifications;
    private final ExecutionGateway executions;
    private final String environment;
    private final Clock clock;

    public ReleaseLockService(DeployLock lock, ReleaseStore releases, NotificationGateway notifications,
                              ExecutionGateway executions, String environment, Clock clock) {
        this.lock = lock;
        this.releases = releases;
        this.notifications = notifications;
        this.executions = executions;
        this.environment = environment;
        this.clock = clock;
    }

    public ReleaseLockOutput release(ReleaseLockInput input) {
        ReleaseLockInput.State state = input.state();
        if (state == null) throw new StageFailedException("ReleaseLock needs the workflow state as \"state\" (ASL Parameters \"state.$\": \"$\")");
        Upload me = UploadInput.require(state.upload());
        Run run = StageInputs.run(state.run());
        String stateMachine;
        try {
            stateMachine = ExecutionGateway.stateMachineArn(input.executionArn());
        } catch (IllegalArgumentException e) {
            throw new StageFailedException("ReleaseLock needs \"executionArn\" (ASL Parameters \"executionArn.$\": \"$$.Execution.Id\"): "
                    + e.getMessage(), e);
        }

        Handoff handoff = lock.release(environment, me.id(), AcquireLockService.lease(run, state.spec()));

        List<String> superseded = handoff.superseded().stream().map(Upload::id).toList();
        String nextArn = null;
        StringBuilder summary = new StringBuilder("released the deploy lock of " + environment);
        if (handoff.next().isPresent()) {
            Upload next = handoff.next().get();
            String name = ExecutionNames.resumed(next.id());
            ExecutionGateway.Start start = executions.start(stateMachine, name, nextInput(next, run).toString());
            nextArn = start.executionArn();
            summary.append("; handed it to ").append(describe(next))
                    .append(start.duplicate() ? " (its execution " + name + " had started already)" : ", started " + name);
        } else {
            summary.append("; no upload waits");
        }
        // Only after the next upload's execution has started: the lock is already its own, so a failed publish
        // here (SNS down, topic policy) must not keep it from running. The ASL retries this state, and a retry finds
        // the execution started (by name) and announces what this attempt could not.
        int announced = supersede(handoff, run);
        if (!superseded.isEmpty()) {
            summary.append("; superseded ").append(String.join(", ", superseded))
                    .append(announced == 0 ? " (announced before)" : " (one notification)");
        }
        return new ReleaseLockOutput(handoff.next().map(Upload::id).orElse(null), nextArn, superseded, summary.toString());
    }

    /** Records the skipped uploads SUPERSEDED; announces, in one message, those not recorded so before. */
    private int supersede(Handoff handoff, Run run) {
        Instant now = clock.instant();
        String reason = handoff.next().map(n -> "superseded by the newer upload " + describe(n))
                .orElse("a newer upload already started");
        List<Release> toRecord = new ArrayList<>();
        List<ObjectNode> toAnnounce = new ArrayList<>();
        for (Upload u : handoff.superseded()) {
            String releaseId = ReleaseIds.of(u);
            Optional<Release> existing = releases.get(environment, releaseId);
            if (existing.isPresent() && existing.get().isFinal()) continue; // recorded before (this is a retry) or ended otherwise
            Release old = existing.orElse(null);
            toRecord.add(new Release(environment, releaseId, u.key(), u.versionId(), old == null ? null : old.sha256(),
                    old == null ? null : old.ami(), old == null ? null : old.launchTemplateVersion(), ReleaseStatus.SUPERSEDED,
                    reason, u.uploadedAt(), old == null || old.startedAt() == null ? now : old.startedAt(), now,
                    old == null ? u.id() : old.execution(), old == null ? null : old.rollbackOf()));
            toAnnounce.add(JsonHandler.JSON.createObjectNode().put("releaseId", releaseId).put("uploadId", u.id())
                    .put("key", u.key()).put("versionId", u.versionId()).put("reason", reason));
        }
        if (!toAnnounce.isEmpty()) {
            Upload winner = handoff.next().orElse(null);
            Notification n = Notification.superseded(environment, toAnnounce, winner == null ? null : winner.key(),
                    winner == null ? null : winner.id(), run.token());
            // announce first: a crash in between repeats the message on retry rather than never sending it
            notifications.publish(n.subject(), n.body());
        }
        toRecord.forEach(releases::put);
        return toAnnounce.size();
    }

    /** The execution input of a resumed upload: as StartDeploy (or the CLI) would have given it, with this run's settings. */
    private ObjectNode nextInput(Upload next, Run run) {
        ObjectNode in = JsonHandler.JSON.createObjectNode();
        boolean rollback = next.key() == null; // a rollback queued behind a deploy names no object
        in.put("mode", rollback ? "rollback" : "upload");
        in.putObject("upload").put("id", next.id()).put("bucket", next.bucket()).put("key", next.key())
                .put("versionId", next.versionId()).put("uploadedAt", next.uploadedAt().toString());
        if (next.sequencer() != null) ((ObjectNode) in.get("upload")).put("sequencer", next.sequencer());
        if (rollback) {
            // its target was resolved before it queued and recorded with its QUEUED record
            in.put("rollbackTo", releases.get(environment, ReleaseIds.of(next)).map(Release::rollbackOf).orElse(null));
        } else {
            in.putNull("rollbackTo");
        }
        // both always: the workflow's Prepare state reads both paths, and a missing one fails the run there
        in.putObject("run").put("pollSeconds", run.pollSeconds())
                .put("timeoutSeconds", run.timeoutSeconds() == null ? Run.DEFAULT_TIMEOUT_SECONDS : run.timeoutSeconds());
        return in;
    }

    private static String describe(Upload u) {
        return u.key() == null ? u.id() : u.key() + " (" + u.id() + ")";
    }
}
