package dev.pipeline.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.local.deploy.SamTemplate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Lambda Task in every ASL file retries exactly one policy, written once here. The ASL files repeat it ~50
 * times (ASL has no way to share a Retry); this test is what keeps the copies identical and complete.
 *
 * <p>The Lambda-service entry follows AWS's best practice
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html): retry
 * Lambda.ClientExecutionTimeoutException, Lambda.ServiceException, Lambda.AWSLambdaException and
 * Lambda.SdkClientException (IntervalSeconds 2, MaxAttempts 6, BackoffRate 2); "Unhandled errors in Lambda are
 * reported as Lambda.Unknown ... These include out-of-memory errors and function timeouts"; "When Lambda hits the
 * maximum number of invocations, the error is Lambda.TooManyRequestsException". Sandbox.Timedout is what newer
 * runtimes report for a function timeout (https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html).
 * Every stage is idempotent (find, then create what is missing), so re-running one after a timeout is safe.
 */
class AslRetryPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String LAMBDA_SERVICE_RETRY = """
        {"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                         "Lambda.ClientExecutionTimeoutException", "Lambda.TooManyRequestsException",
                         "Lambda.Unknown", "Sandbox.Timedout"],
         "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2.0}
        """;
    static final String RETRYABLE_STAGE_RETRY = """
        {"ErrorEquals": ["dev.pipeline.functions.RetryableException"],
         "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2.0, "MaxDelaySeconds": 30}
        """;

    @Test
    void everyLambdaTask_retriesLambdaServiceErrorsTimeoutsAndRetryableStages_withTheOnePolicy() throws IOException {
        JsonNode expected = JSON.readTree("[" + LAMBDA_SERVICE_RETRY + "," + RETRYABLE_STAGE_RETRY + "]");
        List<String> differing = new ArrayList<>();
        int tasks = 0;
        for (SamTemplate.StateMachine sm : template().stateMachines()) {
            JsonNode asl = JSON.readTree(Files.readString(sm.definition()));
            for (Map.Entry<String, JsonNode> task : lambdaTasks(asl.path("States"), new ArrayList<>())) {
                tasks++;
                JsonNode retry = task.getValue().path("Retry");
                if (!retry.equals(expected)) differing.add(sm.definition().getFileName() + " " + task.getKey() + ": " + retry);
            }
        }
        assertThat(differing).as("Lambda Tasks whose Retry is not the one policy").isEmpty();
        assertThat(tasks).as("Lambda Tasks found").isGreaterThan(40);
    }

    @Test
    void everyLambdaTask_hasACatch_soNoFailureEndsARunWithoutItsNotificationAndStackAnswer() throws IOException {
        List<String> uncaught = new ArrayList<>();
        for (SamTemplate.StateMachine sm : template().stateMachines()) {
            JsonNode asl = JSON.readTree(Files.readString(sm.definition()));
            for (Map.Entry<String, JsonNode> task : lambdaTasks(asl.path("States"), new ArrayList<>())) {
                boolean catchesAll = false;
                for (JsonNode c : task.getValue().path("Catch")) {
                    for (JsonNode e : c.path("ErrorEquals")) catchesAll |= "States.ALL".equals(e.asText());
                }
                if (!catchesAll) uncaught.add(sm.definition().getFileName() + " " + task.getKey());
            }
        }
        assertThat(uncaught).as("Lambda Tasks without a Catch on States.ALL").isEmpty();
    }

    /** Task states whose Resource is a function ARN placeholder, in nested Parallel and Map states too. */
    private static List<Map.Entry<String, JsonNode>> lambdaTasks(JsonNode states, List<Map.Entry<String, JsonNode>> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            JsonNode state = s.getValue();
            if ("Task".equals(state.path("Type").asText()) && state.path("Resource").asText().endsWith("FunctionArn}")) out.add(s);
            for (JsonNode branch : state.path("Branches")) lambdaTasks(branch.path("States"), out);
            lambdaTasks(state.path("Iterator").path("States"), out);
            lambdaTasks(state.path("ItemProcessor").path("States"), out);
        }
        return out;
    }

    private static SamTemplate template() throws IOException {
        return SamTemplate.read(SamTemplate.locate(Path.of("")));
    }
}
