package dev.pipeline.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.workflow.ExecutionWatcher;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseIds;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.deploy.release.ReleaseStore;
import dev.pipeline.deploy.trigger.ExecutionNames;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What {@code deploy} and {@code rollback} do: upload a WAR (the bucket's EventBridge rule starts its deploy) or
 * start a rollback, then follow the deploy to its end, printing each stage as it is entered. The CLI only starts
 * and reads: every decision (queue, supersede, roll back) is the workflow's, so following twice changes nothing.
 */
public final class Deployer {
    /** How long an upload's execution may take to appear: EventBridge delivers within seconds. */
    static final Duration APPEAR = Duration.ofSeconds(90);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS").withZone(ZoneOffset.UTC);

    /** An object version uploaded under releases/. */
    public record Uploaded(String bucket, String key, String versionId, String sha256, long bytes) {}

    private final DeployTarget target;
    private final PrintStream out;
    private final boolean quiet;
    private final Duration timeout;

    /**
     * @param out     where progress goes (stage lines); nothing is printed when {@code quiet}
     * @param timeout how long to follow a deploy before giving up (the deploy itself goes on)
     */
    public Deployer(DeployTarget target, PrintStream out, boolean quiet, Duration timeout) {
        this.target = target;
        this.out = out;
        this.quiet = quiet;
        this.timeout = timeout;
    }

    /** Uploads {@code war} to {@code key} in the artifact bucket, computing its sha256 as it is read. */
    public Uploaded upload(Path war, String key) throws IOException {
        return upload(war, key, null);
    }

    /**
     * As {@link #upload(Path, String)}, asking for the release {@code strategy} ({@code bake} or
     * {@code in-place-then-bake}; null leaves it to the spec) in the object's {@code pipeline-strategy} metadata,
     * which the deploy workflow reads from the exact version it validates.
     */
    public Uploaded upload(Path war, String key, String strategy) throws IOException {
        String sha256;
        try (InputStream in = new DigestInputStream(Files.newInputStream(war), digest())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            sha256 = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
        long bytes = Files.size(war);
        String versionId = target.client(S3Client.class).putObject(b -> b.bucket(target.bucket()).key(key)
                .contentType("application/java-archive")
                .metadata(strategy == null ? java.util.Map.of() : java.util.Map.of("pipeline-strategy", strategy)),
                RequestBody.fromFile(war)).versionId();
        if (versionId == null || versionId.isBlank() || versionId.equals("null")) {
            throw new CommandFailedException("the artifact bucket " + target.bucket() + " is not versioned: deploys need object versions");
        }
        return new Uploaded(target.bucket(), key, versionId, sha256, bytes);
    }

    /** Follows the deploy an upload started (its execution is named after the key and version id). */
    public DeployResult followUpload(Uploaded upload, Instant since) throws InterruptedException {
        return follow(ExecutionNames.forUpload(upload.key(), upload.versionId()), since);
    }

    /**
     * Starts the deploy workflow in rollback mode: to {@code releaseId}, or when null to the release before the
     * live one (the workflow resolves it and refuses what it cannot put back). Then follows it.
     */
    public DeployResult rollback(String releaseId, int pollSeconds, int timeoutSeconds) throws InterruptedException {
        Instant now = Instant.now();
        String name = "rollback-" + NAME_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        target.client(SfnClient.class).startExecution(b -> b.stateMachineArn(target.deployMachineArn()).name(name)
                .input(rollbackInput(name, releaseId, now, pollSeconds, timeoutSeconds).toString()));
        return follow(name, now);
    }

    /** The deploy workflow's input for a rollback (contract: upload has only an id and a time). */
    static ObjectNode rollbackInput(String name, String releaseId, Instant now, int pollSeconds, int timeoutSeconds) {
        ObjectNode in = JsonHandler.JSON.createObjectNode();
        in.put("mode", "rollback");
        if (releaseId == null) in.putNull("rollbackTo");
        else in.put("rollbackTo", releaseId);
        ObjectNode upload = in.putObject("upload");
        upload.put("id", name).putNull("bucket").putNull("key").putNull("versionId");
        upload.put("uploadedAt", now.toString());
        in.putObject("run").put("pollSeconds", pollSeconds).put("timeoutSeconds", timeoutSeconds);
        return in;
    }

    /** Follows the execution {@code name} and, when it queued, the one the lock hand-off starts for it. */
    DeployResult follow(String name, Instant since) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SfnClient sfn = target.client(SfnClient.class);
        List<String> executions = new ArrayList<>();
        List<DeployResult.Stage> stages = new ArrayList<>();

        DescribeExecutionResponse first = awaitExecution(name, Instant.now().plus(APPEAR), null);
        if (first == null) {
            throw new CommandFailedException("no deploy started within " + APPEAR.toSeconds() + " s (expected execution " + name
                    + " of " + target.deployMachineArn() + "): is the bucket's EventBridge rule for releases/*.war in place?");
        }
        String releaseId = releaseIdOf(first);
        ExecutionWatcher.Outcome outcome = watch(first.executionArn(), since, deadline, executions, stages);
        JsonNode output = parse(outcome.output());
        if (outcome.status() == ExecutionStatus.SUCCEEDED && "QUEUED".equals(output.path("lock").path("outcome").asText())) {
            String holder = output.path("lock").path("holder").asText("another deploy");
            say("  queued behind " + holder + ", the deploy in flight; waiting for it to end ...");
            String resumed = ExecutionNames.resumed(name);
            DescribeExecutionResponse next = awaitExecution(resumed, Instant.now().plusNanos(Math.max(0, deadline - System.nanoTime())), releaseId);
            if (next == null) return finish(superseded(releaseId), releaseId, since, executions, stages);
            outcome = watch(next.executionArn(), since, deadline, executions, stages);
            output = parse(outcome.output());
        }
        return finish(statusOf(outcome, output, stages), releaseId, since, executions, stages);
    }

    /** A terminal status and its reason, from how the (last) execution ended. */
    private record Ending(String status, String reason) {}

    private static Ending statusOf(ExecutionWatcher.Outcome o, JsonNode output, List<DeployResult.Stage> stages) {
        if (o.status() == ExecutionStatus.SUCCEEDED) {
            String lock = output.path("lock").path("outcome").asText();
            if (lock.equals("SUPERSEDED")) {
                return new Ending("SUPERSEDED", "a newer upload (" + output.path("lock").path("holder").asText("?") + ") already started");
            }
            if (lock.equals("QUEUED")) return new Ending("QUEUED", "still queued when following stopped");
            return new Ending("SUCCEEDED", null);
        }
        if (o.status() == ExecutionStatus.RUNNING) {
            return new Ending("RUNNING", "still running when following stopped (--timeout); it goes on: ./pipeline status shows it");
        }
        String cause = causeMessage(o.cause());
        if (o.status() != ExecutionStatus.FAILED) return new Ending(o.status().toString(), cause);
        if ("ReleaseRolledBack".equals(o.error())) return new Ending("ROLLED_BACK", cause);
        boolean rejected = stages.stream().anyMatch(s -> s.name().equals("Rejected"));
        String failedAt = stages.stream().map(DeployResult.Stage::name).filter(n -> n.endsWith("Failed") && !n.equals("DeployFailed"))
                .map(n -> n.substring(0, n.length() - "Failed".length())).reduce((a, b) -> b).orElse(null);
        String reason = (failedAt == null || rejected ? "" : "at " + failedAt + ": ") + (o.error() == null ? "" : o.error() + ": ") + cause;
        return new Ending(rejected ? "REJECTED" : "FAILED", reason);
    }

    private Ending superseded(String releaseId) {
        String reason = release(releaseId).map(Release::reason).orElse("a newer upload was deployed instead");
        return new Ending("SUPERSEDED", reason);
    }

    private DeployResult finish(Ending end, String releaseId, Instant since, List<String> executions, List<DeployResult.Stage> stages) {
        Release record = releaseId == null ? null : release(releaseId).orElse(null);
        String reason = end.reason();
        if (reason == null && record != null && !end.status().equals("SUCCEEDED")) reason = record.reason();
        return new DeployResult(end.status(), releaseId, reason, record, seconds(since, Instant.now()), List.copyOf(executions), List.copyOf(stages));
    }

    private ExecutionWatcher.Outcome watch(String arn, Instant since, long deadline, List<String> executions,
                                           List<DeployResult.Stage> stages) throws InterruptedException {
        executions.add(arn);
        say("Execution " + arn);
        Set<String> printed = new HashSet<>();
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        return new ExecutionWatcher(target.client(SfnClient.class), Duration.ofMillis(250)).follow(arn, left, e -> {
            if (e.stateEnteredEventDetails() == null) return;
            String type = e.typeAsString();
            // loops re-enter a stage every poll: the first entry says what is happening; choices and waits are plumbing
            if (type.startsWith("Choice") || type.startsWith("Wait") || !printed.add(e.stateEnteredEventDetails().name())) return;
            DeployResult.Stage s = new DeployResult.Stage(e.stateEnteredEventDetails().name(), seconds(since, e.timestamp()));
            stages.add(s);
            say(String.format("  %7.1f s  %s", s.at(), s.name()));
        });
    }

    /**
     * Waits for an execution to exist. With {@code releaseId} (a queued upload waiting for its hand-off) it also
     * stops, returning null, when the release is recorded SUPERSEDED: the hand-off then starts no execution for it.
     */
    private DescribeExecutionResponse awaitExecution(String name, Instant until, String releaseId) throws InterruptedException {
        SfnClient sfn = target.client(SfnClient.class);
        String arn = target.executionArn(name);
        while (true) {
            try {
                return sfn.describeExecution(b -> b.executionArn(arn));
            } catch (ExecutionDoesNotExistException e) {
                if (releaseId != null && release(releaseId).map(r -> r.status() == ReleaseStatus.SUPERSEDED).orElse(false)) return null;
                if (Instant.now().isAfter(until)) {
                    if (releaseId != null) throw new CommandFailedException("still queued after " + timeout.toSeconds() + " s: " + name + " has not started");
                    return null;
                }
                Thread.sleep(releaseId == null ? 250 : 1000);
            }
        }
    }

    private Optional<Release> release(String releaseId) {
        return new ReleaseStore(target.client(DynamoDbClient.class), target.releasesTable()).get(target.environment(), releaseId);
    }

    /**
     * The release id every stage uses for this upload ({@link ReleaseIds}), from
     * the execution's input (the CLI cannot know the time StartDeploy stamped).
     */
    static String releaseIdOf(DescribeExecutionResponse execution) {
        JsonNode upload = parse(execution.input()).path("upload");
        if (!upload.hasNonNull("id") || !upload.hasNonNull("uploadedAt")) return null;
        return ReleaseIds.of(Instant.parse(upload.path("uploadedAt").asText()), upload.path("id").asText());
    }

    private void say(String line) {
        if (quiet) return;
        out.println(line);
        out.flush();
    }

    private static double seconds(Instant from, Instant to) { return Duration.between(from, to).toMillis() / 1000.0; }

    /** A Lambda error's cause is the runtime's JSON; people want its message. */
    static String causeMessage(String cause) {
        JsonNode c = parse(cause);
        return c.has("errorMessage") ? c.path("errorMessage").asText() : cause;
    }

    private static JsonNode parse(String json) {
        if (json == null) return JsonHandler.JSON.createObjectNode();
        try {
            return JsonHandler.JSON.readTree(json);
        } catch (IOException e) {
            return JsonHandler.JSON.createObjectNode();
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
