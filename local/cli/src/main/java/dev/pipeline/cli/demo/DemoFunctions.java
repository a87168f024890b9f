package dev.pipeline.cli.demo;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.lambda.FunctionDefinition;

import java.util.List;
import java.util.Map;

/** The demo's Lambda functions and its state machine: CountDown -> MoreToGo? -> Pause (Wait) -> ... -> Summarize. */
public final class DemoFunctions {
    public static final String COUNT_DOWN = "DemoCountDown";
    public static final String SUMMARIZE = "DemoSummarize";
    public static final String STATE_MACHINE = "pipeline-demo";

    private DemoFunctions() {}

    public static List<FunctionDefinition> all() {
        return List.of(
                new FunctionDefinition(COUNT_DOWN, CountDownHandler.class.getName(), 10,
                        Map.of(CountDownHandler.STEP_VARIABLE, "1")),
                new FunctionDefinition(SUMMARIZE, SummarizeHandler.class.getName(), 10, Map.of()));
    }

    /** The ASL: a Task, a Choice on its answer and a Wait whose length comes from the input (SecondsPath), looped. */
    public static String definition() {
        return """
            {
              "Comment": "pipeline demo: Java handlers served in-process, looped by Choice and Wait",
              "StartAt": "CountDown",
              "States": {
                "CountDown": {"Type": "Task", "Resource": "%s", "Next": "MoreToGo"},
                "MoreToGo": {
                  "Type": "Choice",
                  "Choices": [{"Variable": "$.remaining", "NumericGreaterThan": 0, "Next": "Pause"}],
                  "Default": "Summarize"
                },
                "Pause": {"Type": "Wait", "SecondsPath": "$.waitSeconds", "Next": "CountDown"},
                "Summarize": {"Type": "Task", "Resource": "%s", "End": true}
              }
            }
            """.formatted(LocalCloud.functionArn(COUNT_DOWN), LocalCloud.functionArn(SUMMARIZE));
    }

    /** The input: count down from {@code from}, pausing {@code waitSeconds} between laps. */
    public static String input(int from, int waitSeconds) {
        return "{\"remaining\": %d, \"waitSeconds\": %d}".formatted(from, waitSeconds);
    }
}
