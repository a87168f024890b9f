package dev.pipeline.cli.bench;

import dev.pipeline.local.junit.Executions;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the workflow benchmarks measure of one run: wall time, state transitions (from the execution history), Lambda
 * invocations and the AWS calls the stages made, by service (from the local cloud's counters); and the table the
 * provisioning and deploy reports print them in.
 */
record WorkflowFigures(String label, double seconds, int transitions, long lambdaInvocations, Map<String, Long> awsCalls) {

    long totalAwsCalls() { return awsCalls.values().stream().mapToLong(Long::longValue).sum(); }

    /** This run as JSON (for the benches' --json). */
    com.fasterxml.jackson.databind.node.ObjectNode json() {
        var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("run", label).put("seconds", seconds)
                .put("stateTransitions", transitions).put("lambdaInvocations", lambdaInvocations).put("awsCalls", totalAwsCalls());
        var by = o.putObject("awsCallsByService");
        awsCalls.forEach(by::put);
        return o;
    }

    /** Runs as JSON, with the command and machine. */
    static com.fasterxml.jackson.databind.node.ObjectNode json(String command, List<WorkflowFigures> runs) {
        var root = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("command", command);
        root.set("machine", BenchReport.json(BenchReport.Machine.current()));
        var arr = root.putArray("runs");
        for (WorkflowFigures r : runs) arr.add(r.json());
        Stats wall = new Stats(runs.stream().map(r -> r.seconds() * 1000).toList());
        root.set("wallTime", BenchReport.json(wall));
        return root;
    }

    /**
     * @param executionArns the run's executions (a deploy that queued has two)
     * @param counters      the local cloud's counters ("service:Operation" → calls) since the run started
     * @param notTheStages  counter keys that are not stage calls (the benchmark's own polling); Lambda invocations are
     *                      always reported on their own
     */
    static WorkflowFigures of(String label, double seconds, SfnClient sfn, List<String> executionArns,
                              Map<String, Long> counters, Predicate<String> notTheStages) {
        int transitions = 0;
        for (String arn : executionArns) {
            transitions += (int) Executions.history(sfn, arn).stream().filter(e -> e.stateEnteredEventDetails() != null).count();
        }
        Map<String, Long> byService = new TreeMap<>();
        counters.forEach((k, v) -> {
            String service = k.substring(0, k.indexOf(':'));
            if (!service.equals("lambda") && !notTheStages.test(k)) byService.merge(service, v, Long::sum);
        });
        return new WorkflowFigures(label, seconds, transitions, counters.getOrDefault("lambda:Invoke", 0L), byService);
    }

    /** The runs as a Markdown table, one column per service that any run called. */
    static void table(StringBuilder sb, List<WorkflowFigures> runs, String callsHeader) {
        List<String> services = runs.stream().flatMap(r -> r.awsCalls().keySet().stream()).distinct().sorted().toList();
        sb.append("| run | wall time | state transitions | Lambda invocations | ").append(callsHeader).append(" |");
        services.forEach(s -> sb.append(' ').append(s).append(" |"));
        sb.append("\n|---|---:|---:|---:|---:|");
        services.forEach(s -> sb.append("---:|"));
        sb.append('\n');
        for (WorkflowFigures r : runs) {
            sb.append("| ").append(r.label()).append(" | ").append(String.format(Locale.ROOT, "%.1f s", r.seconds())).append(" | ")
                    .append(r.transitions()).append(" | ").append(r.lambdaInvocations()).append(" | ").append(r.totalAwsCalls()).append(" |");
            services.forEach(s -> sb.append(' ').append(r.awsCalls().getOrDefault(s, 0L)).append(" |"));
            sb.append('\n');
        }
    }
}
