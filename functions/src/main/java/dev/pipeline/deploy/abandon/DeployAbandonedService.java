package dev.pipeline.deploy.abandon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.bake.CleanupBakeInput;
import dev.pipeline.deploy.bake.CleanupBakeService;
import dev.pipeline.deploy.release.RecordReleaseInput;
import dev.pipeline.deploy.release.RecordReleaseService;
import dev.pipeline.deploy.release.ReleaseLockInput;
import dev.pipeline.deploy.release.ReleaseLockService;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;

import java.io.IOException;
import java.util.Set;

/**
 * DeployAbandoned: the failure path for deploy executions that never reached their own. A Catch runs CleanupBake,
 * records the release FAILED and releases the lock on every stage failure, but an execution stopped by hand
 * (ABORTED), cut off by the state machine's timeout (TIMED_OUT), or failed outside any Catch (a States.Runtime
 * error) runs none of that: its builder would keep running, its release would stay DEPLOYING and the lock, with
 * the uploads queued behind it, would wait out the lease. Step Functions reports every such ending to EventBridge;
 * this stage, on that event, does what the workflow's failure path does: the same three services, with the
 * execution input as their state. All three are idempotent, so after a run that did clean up itself (a caught
 * failure also ends FAILED) this changes nothing.
 */
public final class DeployAbandonedService {
    /** Endings after which a run may have left a builder, a DEPLOYING record or the lock behind. */
    static final Set<String> ENDINGS = Set.of("ABORTED", "TIMED_OUT", "FAILED");

    private final CleanupBakeService cleanup;
    private final RecordReleaseService record;
    private final ReleaseLockService lock;

    public DeployAbandonedService(CleanupBakeService cleanup, RecordReleaseService record, ReleaseLockService lock) {
        this.cleanup = cleanup;
        this.record = record;
        this.lock = lock;
    }

    public DeployAbandonedOutput handle(DeployAbandonedInput event) {
        DeployAbandonedInput.Detail d = event.detail();
        if (d == null || d.executionArn() == null || d.name() == null) {
            throw new StageFailedException("not a Step Functions Execution Status Change event: no detail.executionArn or detail.name");
        }
        if (!ENDINGS.contains(d.status())) {
            return DeployAbandonedOutput.ignored(d.executionArn(), d.status(), "nothing to clean up after " + d.status());
        }
        ObjectNode state = state(d);
        if (!state.path("upload").isObject()) {
            return DeployAbandonedOutput.ignored(d.executionArn(), d.status(), "the execution input names no upload");
        }
        String why = "the deploy execution " + d.name() + " ended " + d.status() + " outside the workflow's own failure path";
        ObjectNode error = state.putObject("error");
        error.put("Error", "States." + switch (d.status()) {
            case "ABORTED" -> "Aborted";
            case "TIMED_OUT" -> "Timeout";
            default -> "Failed";
        });
        error.put("Cause", why);

        var cleaned = cleanup.cleanup(convert(state, CleanupBakeInput.class));
        var recorded = record.record(new RecordReleaseInput("FAILED", convert(state, RecordReleaseInput.State.class)));
        var handedOff = lock.release(new ReleaseLockInput(convert(state, ReleaseLockInput.State.class), d.executionArn()));
        return new DeployAbandonedOutput(true, d.executionArn(), d.status(), cleaned.summary(), recorded.summary(),
                handedOff.summary());
    }

    /** The workflow state the run started with: its input, with $.run as the Prepare state would have made it. */
    private static ObjectNode state(DeployAbandonedInput.Detail d) {
        ObjectNode state;
        try {
            JsonNode input = d.input() == null ? null : JsonHandler.JSON.readTree(d.input());
            state = input instanceof ObjectNode o ? o : JsonHandler.JSON.createObjectNode();
        } catch (IOException e) {
            throw new StageFailedException("the execution input of " + d.executionArn() + " is not JSON: " + e.getMessage(), e);
        }
        JsonNode given = state.path("run");
        ObjectNode run = state.putObject("run");
        run.put("token", d.name());
        run.put("pollSeconds", given.path("pollSeconds").asInt(15));
        run.put("timeoutSeconds", given.path("timeoutSeconds").asInt(Run.DEFAULT_TIMEOUT_SECONDS));
        return state;
    }

    private static <T> T convert(ObjectNode state, Class<T> type) {
        return JsonHandler.JSON.convertValue(state, type);
    }
}
