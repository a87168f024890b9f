package dev.pipeline.provision.cfn;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.util.Set;

/** Reads an execution's history: did one of its stack-answering states finish? */
public final class RunHistory {
    /** The ASL states that answer CloudFormation (provision.asl.json, teardown.asl.json). */
    static final Set<String> ANSWER_STATES = Set.of("AnswerStackSuccess", "AnswerStackFailure");

    private final SfnClient sfn;

    public RunHistory(SfnClient sfn) { this.sfn = sfn; }

    public boolean answeredStack(String executionArn) {
        for (HistoryEvent e : sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn).reverseOrder(true)).events()) {
            if (e.stateExitedEventDetails() != null && ANSWER_STATES.contains(e.stateExitedEventDetails().name())) return true;
        }
        return false;
    }
}
