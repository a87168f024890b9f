package dev.pipeline.deploy.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.release.RecordReleaseInput.State;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.manifest.AppliedManifest;
import dev.pipeline.provision.manifest.ManifestGateway;
import dev.pipeline.provision.notify.Notification;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * RecordRelease: the release record of this run's upload (releases table), merged into what earlier calls recorded,
 * and on success the live release in the applied manifest (field {@code release}). Idempotency key: the releaseId;
 * recording the same status again changes nothing (startedAt and finishedAt are kept), and a final record never
 * changes status (a stage failing after the fleet moved to a release does not make that release FAILED).
 */
public class RecordReleaseService {
    private final ReleaseStore releases;
    private final ManifestGateway manifests;
    private final String environment;
    private final Clock clock;

    public RecordReleaseService(ReleaseStore releases, ManifestGateway manifests, String environment, Clock clock) {
        this.releases = releases;
        this.manifests = manifests;
        this.environment = environment;
        this.clock = clock;
    }

    public RecordReleaseOutput record(RecordReleaseInput input) {
        State state = input.state();
        if (state == null) throw new StageFailedException("RecordRelease needs the workflow state as \"state\" (ASL Parameters \"state.$\": \"$\")");
        Upload upload = UploadInput.require(state.upload());
        ReleaseStatus status = status(input.status(), state);
        String releaseId = ReleaseIds.of(upload);
        Optional<Release> existing = releases.get(environment, releaseId);
        if (existing.isPresent() && existing.get().isFinal() && existing.get().status() != status) {
            Release kept = existing.get();
            return new RecordReleaseOutput(releaseId, kept.status().name(), kept.reason(), "release " + releaseId + " is already "
                    + kept.status() + "; kept it rather than record " + status + (reason(status, state) == null ? "" : " (" + reason(status, state) + ")"));
        }
        Release release = merge(existing.orElse(null), build(releaseId, status, state, upload, existing.orElse(null)));
        releases.put(release);
        String summary = "recorded release " + releaseId + " " + status + (release.reason() == null ? "" : ": " + release.reason());
        if (status == ReleaseStatus.SUCCEEDED) {
            writeLiveRelease(release);
            summary += "; the applied manifest names it live";
        }
        return new RecordReleaseOutput(releaseId, status.name(), release.reason(), summary);
    }

    private static ReleaseStatus status(String requested, State state) {
        if (requested == null) throw new StageFailedException("RecordRelease needs a \"status\" in its ASL Parameters");
        if (requested.equals("FINAL")) {
            String outcome = state.rollout() == null ? null : state.rollout().outcome();
            if (outcome == null) throw new StageFailedException("the workflow state has no $.rollout.outcome (RolloutRelease runs first)");
            return switch (outcome) {
                case "DEPLOYED" -> ReleaseStatus.SUCCEEDED;
                case "ROLLED_BACK" -> ReleaseStatus.ROLLED_BACK;
                default -> ReleaseStatus.FAILED;
            };
        }
        try {
            return ReleaseStatus.valueOf(requested.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StageFailedException("RecordRelease status must be DEPLOYING, QUEUED, SUPERSEDED, REJECTED, FAILED or FINAL, got \""
                    + requested + "\"");
        }
    }

    /** Why: the failed stage's error, the rollout's reason, or who holds the lock. Null for DEPLOYING and SUCCEEDED. */
    private static String reason(ReleaseStatus status, State state) {
        String holder = state.lock() == null ? null : state.lock().holder();
        return switch (status) {
            case DEPLOYING, SUCCEEDED -> null;
            case QUEUED -> holder == null ? "waiting for the deploy in flight" : "waiting for the deploy of " + holder;
            case SUPERSEDED -> "a newer upload" + (holder == null ? "" : " (" + holder + ")") + " already started";
            case FAILED, REJECTED, ROLLED_BACK -> {
                String cause = state.error() == null ? null : Notification.causeMessage(state.error().path("Cause").asText(null));
                if (cause != null && !cause.isBlank() && state.inPlace() != null && "DEPLOYED".equals(state.inPlace().outcome())) {
                    // the instances run the release; only its image did not follow
                    yield "live in place (CodeDeploy deployment " + state.inPlace().deploymentId() + ") but its image did not follow: "
                            + cause + "; instances launched from now on get the revision from CodeDeploy, and the next deploy bakes again";
                }
                if (cause != null && !cause.isBlank()) yield cause;
                String rollout = state.rollout() == null ? null : state.rollout().reason();
                if (rollout != null && !rollout.isBlank()) yield rollout;
                if (state.rollout() != null && state.rollout().outcome() != null) yield "the rollout ended " + state.rollout().outcome();
                yield null;
            }
        };
    }

    private Release build(String releaseId, ReleaseStatus status, State state, Upload upload, Release existing) {
        boolean rollback = "rollback".equals(state.mode());
        var baked = state.release();
        String key = rollback ? (baked == null ? null : baked.key()) : upload.key();
        String versionId = rollback ? (baked == null ? null : baked.versionId()) : upload.versionId();
        String sha256 = rollback ? (baked == null ? null : baked.sha256()) : (state.artifact() == null ? null : state.artifact().sha256());
        Instant now = clock.instant();
        Instant startedAt = existing != null && existing.startedAt() != null ? existing.startedAt()
                : state.run() != null && state.run().startedAt() != null ? Instant.parse(state.run().startedAt()) : now;
        boolean finalStatus = status != ReleaseStatus.QUEUED && status != ReleaseStatus.DEPLOYING;
        Instant finishedAt = !finalStatus ? null
                : existing != null && existing.status() == status && existing.finishedAt() != null ? existing.finishedAt() : now;
        var p = state.inPlace();
        Release.InPlace inPlace = p == null || p.deploymentId() == null ? null
                : new Release.InPlace(p.deploymentId(), p.revisionKey(), p.liveAt() == null ? null : Instant.parse(p.liveAt()));
        return new Release(environment, releaseId, key, versionId, sha256, baked == null ? null : baked.imageId(),
                state.releaseVersion() == null ? null : state.releaseVersion().version(), status, reason(status, state),
                upload.uploadedAt(), startedAt, finishedAt, state.run() == null ? null : state.run().token(),
                rollback && baked != null ? baked.rollbackOf() : null, inPlace);
    }

    /** What this call knows wins; what it does not know (null) keeps what an earlier call recorded. */
    private static Release merge(Release old, Release now) {
        if (old == null) return now;
        boolean clearsReason = now.status() == ReleaseStatus.DEPLOYING || now.status() == ReleaseStatus.SUCCEEDED;
        return new Release(now.environment(), now.releaseId(), or(now.key(), old.key()), or(now.versionId(), old.versionId()),
                or(now.sha256(), old.sha256()), or(now.ami(), old.ami()), or(now.launchTemplateVersion(), old.launchTemplateVersion()),
                now.status(), clearsReason ? null : or(now.reason(), old.reason()), or(now.uploadedAt(), old.uploadedAt()),
                now.startedAt(), now.finishedAt(), or(now.execution(), old.execution()), or(now.rollbackOf(), old.rollbackOf()),
                or(now.inPlace(), old.inPlace()));
    }

    private void writeLiveRelease(Release r) {
        String where = "s3://" + manifests.bucket() + "/" + AppliedManifest.key(environment);
        JsonNode manifest = manifests.read(environment).orElseThrow(() -> new StageFailedException("release " + r.releaseId()
                + " is live but environment " + environment + " has no applied manifest at " + where + " to record it in"));
        if (!manifest.isObject()) throw new StageFailedException(where + " is not a JSON object");
        ObjectNode live = ((ObjectNode) manifest).putObject("release");
        live.put("releaseId", r.releaseId());
        live.put("key", r.key());
        live.put("versionId", r.versionId());
        live.put("sha256", r.sha256());
        live.put("imageId", r.ami());
        if (r.launchTemplateVersion() != null) live.put("launchTemplateVersion", r.launchTemplateVersion());
        else live.putNull("launchTemplateVersion");
        live.put("deployedAt", r.finishedAt().toString());
        if (r.rollbackOf() != null) live.put("rollbackOf", r.rollbackOf());
        manifests.put(AppliedManifest.key(environment), manifest.toPrettyString());
    }

    private static <T> T or(T a, T b) { return a != null ? a : b; }
}
