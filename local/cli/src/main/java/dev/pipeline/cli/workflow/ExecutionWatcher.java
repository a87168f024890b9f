package dev.pipeline.cli.workflow;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows one Step Functions execution through GetExecutionHistory and reports each state once, as it
 * finishes, until the execution ends. Read-only: watching twice changes nothing.
 */
public final class ExecutionWatcher {

    /** One pass through a state: its name, its type (Task, Choice, Wait...), and when it was entered and left. */
    public record StateRun(String name, String type, Instant entered, Instant exited) {
        public double seconds() { return Duration.between(entered, exited).toNanos() / 1e9; }
    }

    /** How the execution ended. */
    public record Outcome(ExecutionStatus status, String output, String error, String cause, Duration elapsed) {}

    private static final Set<String> TERMINAL_EVENTS = Set.of(
            "ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted");

    private final SfnClient sfn;
    private final Duration pollInterval;

    public ExecutionWatcher(SfnClient sfn, Duration pollInterval) {
        this.sfn = sfn;
        this.pollInterval = pollInterval;
    }

    /**
     * Polls until the execution ends or {@code timeout} passes (then stops it and reports it aborted),
     * calling {@code onState} for each state as it finishes, in order.
     */
    public Outcome watch(String executionArn, Duration timeout, Consumer<StateRun> onState) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int reported = 0;
        while (true) {
            List<HistoryEvent> events = history(executionArn);
            List<StateRun> runs = statesIn(events);
            for (; reported < runs.size(); reported++) onState.accept(runs.get(reported));
            boolean ended = events.stream().anyMatch(e -> TERMINAL_EVENTS.contains(e.typeAsString()));
            if (ended) return outcome(executionArn);
            if (System.nanoTime() > deadline) {
                sfn.stopExecution(b -> b.executionArn(executionArn).error("Timeout")
                        .cause("not finished within " + timeout.toSeconds() + " s"));
                return outcome(executionArn);
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /**
     * Polls until the execution ends or {@code timeout} passes, handing {@code onEvent} each history event once, in
     * order: for callers that report states as they are entered. Unlike {@link #watch} it never stops the
     * execution: at the timeout it returns the outcome as it stands (status RUNNING) and the execution goes on.
     */
    public Outcome follow(String executionArn, Duration timeout, Consumer<HistoryEvent> onEvent) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            List<HistoryEvent> events = history(executionArn);
            for (; seen < events.size(); seen++) onEvent.accept(events.get(seen));
            if (events.stream().anyMatch(e -> TERMINAL_EVENTS.contains(e.typeAsString()))) return outcome(executionArn);
            if (System.nanoTime() > deadline) return outcome(executionArn);
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /**
     * The state runs a history shows, ordered by when each state was left. A state still running is left
     * out, unless the execution has ended (a Fail state has no exit event), in which case it ends there.
     */
    public static List<StateRun> statesIn(List<HistoryEvent> events) {
        Map<String, HistoryEvent> open = new HashMap<>();
        List<StateRun> runs = new ArrayList<>();
        List<String> openOrder = new ArrayList<>();
        for (HistoryEvent e : events) {
            String type = e.typeAsString();
            if (type.endsWith("StateEntered") && e.stateEnteredEventDetails() != null) {
                String name = e.stateEnteredEventDetails().name();
                open.put(name, e);
                openOrder.add(name);
            } else if (type.endsWith("StateExited") && e.stateExitedEventDetails() != null) {
                String name = e.stateExitedEventDetails().name();
                HistoryEvent entered = open.remove(name);
                openOrder.remove(name);
                if (entered != null) runs.add(run(entered, e.timestamp()));
            } else if (TERMINAL_EVENTS.contains(type)) {
                for (String name : openOrder) runs.add(run(open.get(name), e.timestamp()));
                open.clear();
                openOrder.clear();
            }
        }
        return runs;
    }

    private static StateRun run(HistoryEvent entered, Instant exited) {
        String type = entered.typeAsString();
        return new StateRun(entered.stateEnteredEventDetails().name(),
                type.substring(0, type.length() - "StateEntered".length()), entered.timestamp(), exited);
    }

    private List<HistoryEvent> history(String executionArn) {
        List<HistoryEvent> all = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn).maxResults(1000))
                .events().forEach(all::add);
        return all;
    }

    private Outcome outcome(String executionArn) {
        DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
        Instant end = d.stopDate() != null ? d.stopDate() : Instant.now();
        return new Outcome(d.status(), d.output(), d.error(), d.cause(), Duration.between(d.startDate(), end));
    }
}
