package dev.pipeline.cli.workflow;

import dev.pipeline.cli.workflow.ExecutionWatcher.StateRun;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutionWatcherTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final List<HistoryEvent> events = new ArrayList<>();

    private void event(String type, String state, double atSeconds) {
        HistoryEvent.Builder b = HistoryEvent.builder().id((long) events.size() + 1).type(type)
                .timestamp(T0.plusMillis((long) (atSeconds * 1000)));
        if (type.endsWith("StateEntered")) b.stateEnteredEventDetails(d -> d.name(state));
        if (type.endsWith("StateExited")) b.stateExitedEventDetails(d -> d.name(state));
        events.add(b.build());
    }

    @Test
    void statesIn_listsEachPassThroughALoop_inExitOrder_withTypeAndSeconds() {
        event("ExecutionStarted", null, 0);
        event("TaskStateEntered", "CountDown", 0);
        event("LambdaFunctionScheduled", null, 0.01);
        event("TaskStateExited", "CountDown", 0.5);
        event("ChoiceStateEntered", "MoreToGo", 0.5);
        event("ChoiceStateExited", "MoreToGo", 0.52);
        event("WaitStateEntered", "Pause", 0.52);
        event("WaitStateExited", "Pause", 1.52);
        event("TaskStateEntered", "CountDown", 1.52);
        event("TaskStateExited", "CountDown", 1.6);

        List<StateRun> runs = ExecutionWatcher.statesIn(events);

        assertThat(runs).extracting(StateRun::name).containsExactly("CountDown", "MoreToGo", "Pause", "CountDown");
        assertThat(runs).extracting(StateRun::type).containsExactly("Task", "Choice", "Wait", "Task");
        assertThat(runs.get(2).seconds()).isEqualTo(1.0);
    }

    @Test
    void statesIn_leavesOutARunningState_untilTheExecutionEnds() {
        event("ExecutionStarted", null, 0);
        event("WaitStateEntered", "Pause", 0);

        assertThat(ExecutionWatcher.statesIn(events)).isEmpty();

        event("FailStateEntered", "Broken", 2); // a Fail state never exits: the execution's end closes it
        event("ExecutionFailed", null, 2.25);

        assertThat(ExecutionWatcher.statesIn(events)).extracting(StateRun::name, StateRun::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Pause", "Wait"),
                        org.assertj.core.groups.Tuple.tuple("Broken", "Fail"));
    }
}
