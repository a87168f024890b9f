package dev.pipeline.cli.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one workflow execution and follows it, printing each state as it finishes (name, type, seconds), and
 * on failure the stage that failed and why. Quiet (for --json) prints nothing.
 */
public final class WorkflowRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a run ended, with every state it went through. */
    public record Result(String executionArn, ExecutionStatus status, JsonNode output, String failedStage, String error,
                         String cause, double seconds, List<ExecutionWatcher.StateRun> states) {
        public boolean succeeded() { return status == ExecutionStatus.SUCCEEDED; }
    }

    private final SfnClient sfn;
    private final PrintStream out;
    private final boolean quiet;

    /** A workflow's input: the spec and {@code $.run} (seconds between checks, how long the run may wait in all). */
    public static com.fasterxml.jackson.databind.node.ObjectNode input(JsonNode spec, int pollSeconds, int timeoutSeconds) {
        com.fasterxml.jackson.databind.node.ObjectNode in = JSON.createObjectNode();
        in.set("spec", spec);
        in.putObject("run").put("pollSeconds", pollSeconds).put("timeoutSeconds", timeoutSeconds);
        return in;
    }

    public WorkflowRun(SfnClient sfn, PrintStream out, boolean quiet) {
        this.sfn = sfn;
        this.out = out;
        this.quiet = quiet;
    }

    public Result run(String stateMachineArn, String name, JsonNode input, Duration timeout) throws InterruptedException {
        String arn = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input.toString())).executionArn();
        if (!quiet) {
            out.println("Execution " + arn);
            out.printf("  %-34s %-8s %8s%n", "State", "Type", "Seconds");
        }
        List<ExecutionWatcher.StateRun> states = new ArrayList<>();
        ExecutionWatcher.Outcome o = new ExecutionWatcher(sfn, Duration.ofMillis(250)).watch(arn, timeout, s -> {
            states.add(s);
            if (!quiet && !s.type().equals("Choice")) {
                out.printf("  %-34s %-8s %8.2f%n", s.name(), s.type(), s.seconds());
                out.flush();
            }
        });
        JsonNode output = parse(o.output());
        String failedStage = states.stream().map(ExecutionWatcher.StateRun::name).filter(n -> n.endsWith("Failed") && !n.equals("ProvisioningFailed")
                && !n.equals("TeardownFailed")).map(n -> n.substring(0, n.length() - "Failed".length())).reduce((a, b) -> b).orElse(null);
        return new Result(arn, o.status(), output, failedStage, o.error(), causeMessage(o.cause()),
                o.elapsed().toMillis() / 1000.0, states);
    }

    /** A Lambda error's cause is the runtime's JSON; people want its message. */
    static String causeMessage(String cause) {
        JsonNode c = parse(cause);
        return c != null && c.has("errorMessage") ? c.path("errorMessage").asText() : cause;
    }

    private static JsonNode parse(String s) {
        if (s == null) return null;
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
