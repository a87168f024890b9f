package dev.pipeline.local.lambda;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.FaultRule;
import dev.pipeline.local.junit.Executions;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.local.testfns.CountDownHandler;
import dev.pipeline.local.testfns.FlakyHandler;
import dev.pipeline.local.testfns.SlowHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Step Functions executions whose Task states are our handlers, served in-process by the gateway. */
@ExtendWith(LocalCloudExtension.class)
class StateMachineTasksIT {
    private static String role;
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String NOT_READY = "dev.pipeline.local.testfns.FlakyHandler$NotReadyYetException";
    private static final String BAD_INPUT = "dev.pipeline.local.testfns.FlakyHandler$BadInputException";

    @BeforeEach
    void register(LocalCloud cloud, software.amazon.awssdk.services.iam.IamClient iam) {
        FlakyHandler.CALLS.set(0);
        role = dev.pipeline.local.junit.TestRoles.statesRole(iam, "states", "Flaky", "CountDown", "Slow");
        cloud.register(FunctionDefinition.of("Flaky", FlakyHandler.class));
        cloud.register(FunctionDefinition.of("CountDown", CountDownHandler.class));
        cloud.register(FunctionDefinition.of("Slow", SlowHandler.class).withTimeout(1));
    }

    private static String create(SfnClient sfn, String name, String definition) {
        return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(role)).stateMachineArn();
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    private static DescribeExecutionResponse run(SfnClient sfn, String machineArn, String name, String input) {
        String exec = sfn.startExecution(b -> b.stateMachineArn(machineArn).name(name).input(input)).executionArn();
        return Executions.awaitEnd(sfn, exec, LIMIT);
    }

    private static final String CATCH_AND_RETRY = """
        {"StartAt":"Call","States":{
          "Call":{"Type":"Task","Resource":"%s",
            "Retry":[{"ErrorEquals":["%s"],"IntervalSeconds":1,"BackoffRate":1.0,"MaxAttempts":3}],
            "Catch":[{"ErrorEquals":["%s"],"ResultPath":"$.error","Next":"ReportBadInput"}],
            "End":true},
          "ReportBadInput":{"Type":"Pass","End":true}}}
        """.formatted(LocalCloud.functionArn("Flaky"), NOT_READY, BAD_INPUT);

    @Test
    void waitStates_runOnTheLocalClock_soAnHourOfPollingEndsWithinTheTestsLimit(LocalCloud cloud, SfnClient sfn) {
        // twelve polls of five minutes: an hour of AWS time, which a real-time wait would take an hour to pass
        String machine = create(sfn, "poller", """
            {"StartAt":"Init","States":{
              "Init":{"Type":"Pass","Result":{"left":12,"pollSeconds":300},"Next":"Poll"},
              "Poll":{"Type":"Choice","Choices":[{"Variable":"$.left","NumericGreaterThan":0,"Next":"Wait"}],"Default":"Done"},
              "Wait":{"Type":"Wait","SecondsPath":"$.pollSeconds","Next":"Count"},
              "Count":{"Type":"Pass","Parameters":{"left.$":"States.MathAdd($.left, -1)","pollSeconds.$":"$.pollSeconds"},"Next":"Poll"},
              "Done":{"Type":"Succeed"}}}
            """);
        assertThat(cloud.clock().scale()).as("the tests' clock").isGreaterThanOrEqualTo(60);

        DescribeExecutionResponse end = run(sfn, machine, "an-hour", "{}");

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Executions.statesEntered(sfn, end.executionArn()).stream().filter("Wait"::equals)).hasSize(12);
    }

    @Test
    void catch_routesOnTheDomainExceptionName_asOnAws(SfnClient sfn) {
        String machine = create(sfn, "catcher", CATCH_AND_RETRY);

        DescribeExecutionResponse end = run(sfn, machine, "bad-input", "{\"mode\":\"bad\"}");

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Executions.statesEntered(sfn, end.executionArn())).containsExactly("Call", "ReportBadInput");
        assertThat(end.output()).contains(BAD_INPUT).contains("spec field 'vpcId' is missing");
        assertThat(FlakyHandler.CALLS.get()).as("a caught, non-retryable error is not retried").isEqualTo(1);
    }

    @Test
    void retry_retriesTheRetryableException_untilTheHandlerSucceeds(SfnClient sfn) {
        String machine = create(sfn, "retrier", CATCH_AND_RETRY);

        DescribeExecutionResponse end = run(sfn, machine, "flaky", "{\"failTimes\":2}");

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(end.output()).path("call").asInt()).isEqualTo(3);
        long failures = Executions.history(sfn, end.executionArn()).stream()
                .filter(e -> e.lambdaFunctionFailedEventDetails() != null || e.taskFailedEventDetails() != null).count();
        assertThat(failures).as("two failed attempts are visible in the history").isEqualTo(2);
    }

    @Test
    void retry_givesUpAfterMaxAttempts_andTheExecutionFailsWithTheErrorName(SfnClient sfn) {
        String machine = create(sfn, "giver-upper", CATCH_AND_RETRY);

        DescribeExecutionResponse end = run(sfn, machine, "never", "{\"failTimes\":99}");

        assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(end.error()).isEqualTo(NOT_READY);
        assertThat(FlakyHandler.CALLS.get()).as("first attempt + 3 retries").isEqualTo(4);
    }

    /** Task -> Choice -> Wait loop; the ResultSelector keeps the wait length in the state. */
    private static String loopMachine(SfnClient sfn, String name) {
        return create(sfn, name, """
            {"StartAt":"CountDown","States":{
              "CountDown":{"Type":"Task","Resource":"%s",
                "ResultSelector":{"remaining.$":"$.remaining","done.$":"$.done","pause":1},"Next":"Done?"},
              "Done?":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":true,"Next":"Finished"}],"Default":"Pause"},
              "Pause":{"Type":"Wait","SecondsPath":"$.pause","Next":"CountDown"},
              "Finished":{"Type":"Succeed"}}}
            """.formatted(LocalCloud.functionArn("CountDown")));
    }

    @Test
    void taskChoiceWaitLoop_succeedsThreeTimesInARow(SfnClient sfn) {
        String machine = loopMachine(sfn, "loop-sequential");

        for (int i = 1; i <= 3; i++) {
            DescribeExecutionResponse end = run(sfn, machine, "run-" + i, "{\"remaining\":3}");

            assertThat(end.status()).as("run %d", i).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Executions.statesEntered(sfn, end.executionArn())).containsExactly(
                    "CountDown", "Done?", "Pause", "CountDown", "Done?", "Pause", "CountDown", "Done?", "Finished");
        }
    }

    @Test
    void taskChoiceWaitLoop_succeedsThreeTimesConcurrently(SfnClient sfn) {
        String machine = loopMachine(sfn, "loop-concurrent");

        List<String> arns = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int n = i;
            arns.add(sfn.startExecution(b -> b.stateMachineArn(machine).name("parallel-" + n)
                    .input("{\"remaining\":3}")).executionArn());
        }
        List<CompletableFuture<DescribeExecutionResponse>> ends = arns.stream()
                .map(a -> CompletableFuture.supplyAsync(() -> Executions.awaitEnd(sfn, a, LIMIT))).toList();

        for (CompletableFuture<DescribeExecutionResponse> f : ends) {
            assertThat(f.join().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(json(f.join().output()).path("remaining").asInt()).isZero();
        }
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine)).executions()).hasSize(3);
    }

    @Test
    void functionTimeout_failsTheTaskWithSandboxTimedout(SfnClient sfn) {
        String machine = create(sfn, "timeouts", """
            {"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"%s","End":true}}}
            """.formatted(LocalCloud.functionArn("Slow")));

        DescribeExecutionResponse end = run(sfn, machine, "slow", "{}");

        assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(end.error()).isEqualTo("Sandbox.Timedout");
        assertThat(end.cause()).contains("Task timed out after 1.00 seconds");
    }

    @Test
    void lambdaServiceErrors_reachTheStateMachineAsLambdaErrorNames_soTheRecommendedRetryMatches(SfnClient sfn, LocalCloud cloud) {
        // AWS: "Lambda errors are reported as Lambda.<ErrorName>"
        // (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html); moto said "Exception".
        String machine = create(sfn, "service-errors", """
            {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"%s",
              "Retry":[{"ErrorEquals":["Lambda.ServiceException","Lambda.TooManyRequestsException"],
                        "IntervalSeconds":1,"BackoffRate":1.0,"MaxAttempts":3}],
              "End":true}}}
            """.formatted(LocalCloud.functionArn("Flaky")));
        cloud.injectFault(FaultRule.error("lambda", "Invoke", 500, "ServiceException", "Lambda is having a moment").times(1));
        cloud.injectFault(FaultRule.error("lambda", "Invoke", 429, "TooManyRequestsException", "Rate exceeded").times(1));

        DescribeExecutionResponse end = run(sfn, machine, "service-errors", "{}");

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Executions.history(sfn, end.executionArn()).stream()
                .filter(e -> e.lambdaFunctionFailedEventDetails() != null)
                .map(e -> e.lambdaFunctionFailedEventDetails().error()).toList())
                .containsExactlyInAnyOrder("Lambda.ServiceException", "Lambda.TooManyRequestsException");
    }

    @Test
    void aTaskWhoseStateMachineRoleMayNotInvokeTheFunction_failsAsLambdaAccessDenied_namingTheRoleActionAndFunction(
            SfnClient sfn, software.amazon.awssdk.services.iam.IamClient iam) {
        // Step Functions invokes a Task's function as the state machine's role, which needs lambda:InvokeFunction
        // on it ("How Step Functions works with IAM"); "states-countdown-only" may invoke CountDown, not Flaky.
        String narrow = dev.pipeline.local.junit.TestRoles.statesRole(iam, "states-countdown-only", "CountDown");
        String machine = sfn.createStateMachine(b -> b.name("not-allowed").roleArn(narrow).definition("""
            {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"%s",
              "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Failed"}],"End":true},
              "Failed":{"Type":"Fail","ErrorPath":"$.error.Error","CausePath":"$.error.Cause"}}}
            """.formatted(LocalCloud.functionArn("Flaky") + ":live"))).stateMachineArn();

        DescribeExecutionResponse end = run(sfn, machine, "denied", "{}");

        assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(end.error()).isEqualTo("Lambda.AccessDeniedException");
        assertThat(end.cause()).contains("assumed-role/states-countdown-only/",
                "is not authorized to perform: lambda:InvokeFunction on resource: " + LocalCloud.functionArn("Flaky") + ":live",
                "because no identity-based policy allows the lambda:InvokeFunction action");
        assertThat(FlakyHandler.CALLS.get()).as("the function never ran").isZero();
    }

    @Test
    void invoke_answersLikeTheLambdaService_forFunctionErrorsAndUnknownFunctions(LambdaClient lambda) {
        InvokeResponse failed = lambda.invoke(b -> b.functionName(LocalCloud.functionArn("Flaky") + ":live")
                .payload(SdkBytes.fromUtf8String("{\"mode\":\"bad\"}")));

        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(failed.payload().asUtf8String())
                .contains("\"errorType\":\"" + BAD_INPUT + "\"")
                .contains("\"errorMessage\":\"spec field 'vpcId' is missing\"")
                .contains("\"stackTrace\":[");

        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("NoSuchFunction")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found");
    }

    @Test
    void handlers_areBuiltWithTheLocalEnvironment(LambdaClient lambda, LocalCloud cloud) {
        lambda.invoke(b -> b.functionName("Slow").payload(SdkBytes.fromUtf8String("{}")));

        assertThat(SlowHandler.lastEnv)
                .containsEntry("AWS_ENDPOINT_URL", cloud.endpoint().toString())
                .containsEntry("AWS_REGION", LocalCloud.REGION)
                .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "Slow");
    }
}
