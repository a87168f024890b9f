package dev.pipeline.local.junit;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test helpers for state machine executions on the local cloud: wait for an end, read the history. */
public final class Executions {
    private Executions() {}

    /** Polls until the execution leaves RUNNING; fails the test with the last status after {@code timeout}. */
    public static DescribeExecutionResponse awaitEnd(SfnClient sfn, String executionArn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        DescribeExecutionResponse d;
        do {
            d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING && d.status() != ExecutionStatus.PENDING_REDRIVE) return d;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("execution " + executionArn + " still " + d.status() + " after " + timeout);
    }

    /** The whole history, oldest first. */
    public static List<HistoryEvent> history(SfnClient sfn, String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events().forEach(events::add);
        return events;
    }

    /** Names of the states entered, in order. */
    public static List<String> statesEntered(SfnClient sfn, String executionArn) {
        return history(sfn, executionArn).stream()
                .filter(e -> e.stateEnteredEventDetails() != null)
                .map(e -> e.stateEnteredEventDetails().name())
                .toList();
    }
}
