package dev.pipeline.deploy.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * StartDeploy: one deploy execution per uploaded object version under {@code releases/} ending in {@code .war}.
 * Idempotency key: the execution name, {@link ExecutionNames#forUpload}(key, versionId); S3 delivers events at least
 * once, and a repeat finds the name taken and starts nothing.
 */
public class StartDeployService {
    public static final String PREFIX = "releases/";
    public static final String SUFFIX = ".war";

    /** The run settings every deploy execution gets ($.run of the execution input). */
    public record Settings(String stateMachineArn, int pollSeconds, int timeoutSeconds) {}

    private final ExecutionGateway sfn;
    private final Settings settings;
    private final Clock clock;

    public StartDeployService(ExecutionGateway sfn, Settings settings, Clock clock) {
        this.sfn = sfn;
        this.settings = settings;
        this.clock = clock;
    }

    public StartDeployOutput start(StartDeployInput event) {
        String bucket = event.bucket(), key = event.key(), versionId = event.versionId();
        if (bucket == null || key == null) return StartDeployOutput.ignored("not an S3 Object Created event: no bucket or key");
        // the rule filters on these too; this guards a rule edited by hand
        if (!key.startsWith(PREFIX) || !key.endsWith(SUFFIX)) {
            return StartDeployOutput.ignored("s3://" + bucket + "/" + key + " is not a release: only " + PREFIX + "*" + SUFFIX + " deploys");
        }
        if (versionId == null || versionId.isBlank() || versionId.equals("null")) {
            // without a version id every upload of the key would share one execution name, and the bake could not
            // pin the object it checked
            return StartDeployOutput.ignored("s3://" + bucket + "/" + key + " has no version id: turn on versioning of the artifact bucket");
        }
        String name = ExecutionNames.forUpload(key, versionId);
        String sequencer = event.sequencer();
        if (sequencer != null && !sequencer.matches("[0-9A-Fa-f]{1,32}")) {
            return StartDeployOutput.ignored("s3://" + bucket + "/" + key + ": the event's sequencer \"" + sequencer + "\" is not hexadecimal");
        }
        ExecutionGateway.Start start = sfn.start(settings.stateMachineArn(), name,
                input(name, bucket, key, versionId, uploadedAt(event), sequencer).toString());
        return new StartDeployOutput(!start.duplicate(), start.duplicate(), name, start.executionArn(),
                start.duplicate() ? "the deploy of this object version already started (a repeated event)" : null);
    }

    /**
     * When S3 took the upload: the event's {@code time}, not now. EventBridge invokes this function asynchronously and
     * retries it, so events arrive late and out of order; ordering by arrival would let an older upload win.
     */
    private Instant uploadedAt(StartDeployInput event) {
        // an event without a time (hand-made): arrival is the best there is
        return event.time() != null ? event.time() : clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private ObjectNode input(String name, String bucket, String key, String versionId, Instant uploadedAt, String sequencer) {
        ObjectNode in = JsonHandler.JSON.createObjectNode();
        in.put("mode", "upload");
        in.putObject("upload").put("id", name).put("bucket", bucket).put("key", key).put("versionId", versionId)
                .put("uploadedAt", uploadedAt.toString());
        if (sequencer != null) ((ObjectNode) in.get("upload")).put("sequencer", sequencer);
        in.putNull("rollbackTo");
        in.putObject("run").put("pollSeconds", settings.pollSeconds()).put("timeoutSeconds", settings.timeoutSeconds());
        return in;
    }
}
