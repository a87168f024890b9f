package dev.pipeline.functions;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.pipeline.deploy.abandon.DeployAbandonedInput;
import dev.pipeline.deploy.trigger.StartDeployInput;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.provision.cfn.StackEventInput;
import dev.pipeline.provision.cfn.StackRunAbandonedInput;
import dev.pipeline.provision.spec.ValidateSpecInput;
import org.joda.time.DateTime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample in {@code events/} is read into the type its function's handler takes, from the same bytes Lambda
 * hands the handler, and a function AWS invokes with an event takes the {@code aws-lambda-java-events} type of it.
 * Our handlers read the bytes themselves ({@link JsonHandler#JSON}); each event is also read by the Lambda Java
 * runtime's own serializer ({@code aws-lambda-java-serialization}, what the runtime would use for a
 * {@code RequestHandler<Event, ...>}), and the two must agree: capitalised and hyphenated names, Joda times.
 */
class SampleEventsTest {
    private static final SamTemplate TEMPLATE = template();
    private static final Path EVENTS = TEMPLATE.file().toAbsolutePath().getParent().resolve("events");

    /** Sample → the function it is for (the table in events/README.md). */
    private static final Map<String, String> FUNCTION = new TreeMap<>(Map.of(
            "validate-spec.json", "ValidateSpecFunction",
            "stack-create.json", "StackEventFunction",
            "stack-delete.json", "StackEventFunction",
            "release-uploaded.json", "StartDeployFunction",
            "drift-schedule.json", "CheckDriftFunction",
            "stack-run-abandoned.json", "StackRunAbandonedFunction",
            "deploy-abandoned.json", "DeployAbandonedFunction"));

    /** The functions AWS itself invokes with an event, and the library type of that event. */
    private static final Map<String, Class<?>> AWS_EVENT = Map.of(
            "StackEventFunction", CloudFormationCustomResourceEvent.class,   // the custom resource
            "StartDeployFunction", ScheduledEvent.class,                    // EventBridge: S3 Object Created
            "CheckDriftFunction", ScheduledEvent.class,                     // EventBridge: Scheduled Event
            "StackRunAbandonedFunction", ScheduledEvent.class,              // EventBridge: Step Functions Execution Status Change
            "DeployAbandonedFunction", ScheduledEvent.class);

    private static SamTemplate template() {
        try {
            return SamTemplate.read(SamTemplate.locate(Path.of("")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everySample_isForAFunctionOfTheTemplate() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
                    .as("every sample in events/ is named in FUNCTION (and in events/README.md)")
                    .containsExactlyInAnyOrderElementsOf(FUNCTION.keySet());
        }
        List<String> functions = TEMPLATE.functions().stream().map(SamTemplate.Function::logicalId).toList();
        assertThat(functions).containsAll(FUNCTION.values()).containsAll(AWS_EVENT.keySet());
        String readme = Files.readString(EVENTS.resolve("README.md"));
        FUNCTION.forEach((file, function) -> assertThat(readme).contains("`" + file + "` | `" + function + "`"));
    }

    @Test
    void functionsAwsInvokesWithAnEvent_takeTheEventsLibraryTypeOfIt() {
        AWS_EVENT.forEach((function, type) -> {
            assertThat(inputType(function)).as(function).isEqualTo(type);
            assertThat(LambdaEventSerializers.isLambdaSupportedEvent(type.getName()))
                    .as("the Lambda runtime has a serializer of its own for " + type.getSimpleName()).isTrue();
        });
    }

    @Test
    void everyAwsEventSample_readsAsTheLambdaRuntimeReadsIt() throws IOException {
        for (var sample : FUNCTION.entrySet()) {
            Class<?> type = inputType(sample.getValue());
            if (!AWS_EVENT.containsKey(sample.getValue())) continue;
            Object ours = read(sample.getKey());
            Object runtimes;
            try (InputStream in = Files.newInputStream(EVENTS.resolve(sample.getKey()))) {
                runtimes = LambdaEventSerializers.serializerFor(type, getClass().getClassLoader()).fromJson(in);
            }
            assertThat(ours).as(sample.getKey()).usingRecursiveComparison().isEqualTo(runtimes);
        }
    }

    @Test
    void customResourceRequests_nameTheRequestAndWhereToAnswer() throws IOException {
        var create = (CloudFormationCustomResourceEvent) read("stack-create.json");
        assertThat(create.getRequestType()).isEqualTo("Create");
        assertThat(create.getResponseUrl()).startsWith("https://cloudformation-custom-resource-response-");
        assertThat(create.getStackId()).startsWith("arn:aws:cloudformation:us-east-1:123456789012:stack/war-pipeline/");
        assertThat(create.getLogicalResourceId()).isEqualTo("Environment");
        assertThat(create.getResourceType()).isEqualTo("Custom::Environment");
        assertThat(create.getPhysicalResourceId()).as("none before Create").isNull();
        StackEventInput in = StackEventInput.of(create);
        assertThat(in.requestId()).isEqualTo("6e5a6f5e-0000-4000-8000-000000000001");
        assertThat(JsonHandler.JSON.readTree(in.resourceProperties().path("SpecJson").asText()).path("name").asText())
                .isEqualTo("vprofile");

        var delete = (CloudFormationCustomResourceEvent) read("stack-delete.json");
        assertThat(delete.getRequestType()).isEqualTo("Delete");
        assertThat(delete.getPhysicalResourceId()).isEqualTo("vprofile");
    }

    @Test
    void releaseUploaded_namesTheObjectVersionAndWhenItWasPut() throws IOException {
        var event = (ScheduledEvent) read("release-uploaded.json");
        assertThat(event.getSource()).isEqualTo("aws.s3");
        assertThat(event.getDetailType()).isEqualTo("Object Created");
        StartDeployInput in = StartDeployInput.of(event);
        assertThat(in.time()).isEqualTo(Instant.parse("2026-11-25T14:00:00Z"));
        assertThat(in.detail().bucket().name()).isEqualTo("vprofile-artifacts-123456789012");
        assertThat(in.detail().object().key()).isEqualTo("releases/app.war");
        assertThat(in.detail().object().versionId()).isEqualTo("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY");
        assertThat(in.detail().object().sequencer()).isEqualTo("0062E99A88DC407460");
    }

    @Test
    void driftSchedule_isTheScheduledEventEventBridgeSends() throws IOException {
        var event = (ScheduledEvent) read("drift-schedule.json");
        assertThat(event.getSource()).isEqualTo("aws.events");
        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(event.getTime()).isEqualTo(DateTime.parse("2026-11-25T15:00:00Z"));
        assertThat(event.getTime().getMillis()).isEqualTo(Instant.parse("2026-11-25T15:00:00Z").toEpochMilli());
        assertThat(event.getResources()).singleElement().asString().startsWith("arn:aws:events:us-east-1:123456789012:rule/");
        assertThat(event.getDetail()).isEmpty();
    }

    @Test
    void executionStatusChanges_nameTheRunHowItEndedAndItsInput() throws IOException {
        var stackRun = StackRunAbandonedInput.of((ScheduledEvent) read("stack-run-abandoned.json"));
        assertThat(stackRun.detailType()).isEqualTo("Step Functions Execution Status Change");
        assertThat(stackRun.detail().status()).isEqualTo("ABORTED");
        assertThat(stackRun.detail().stateMachineArn()).endsWith(":stateMachine:vprofile-provision");
        assertThat(stackRun.detail().executionArn()).endsWith(":" + stackRun.detail().name());
        assertThat(JsonHandler.JSON.readTree(stackRun.detail().input()).path("callback").path("responseUrl").asText())
                .startsWith("https://");

        var deploy = DeployAbandonedInput.of((ScheduledEvent) read("deploy-abandoned.json"));
        assertThat(deploy.detail().status()).isEqualTo("TIMED_OUT");
        assertThat(deploy.detail().stateMachineArn()).endsWith(":stateMachine:vprofile-deploy");
        assertThat(JsonHandler.JSON.readTree(deploy.detail().input()).path("upload").path("key").asText())
                .isEqualTo("releases/app.war");
    }

    @Test
    void validateSpec_isTheWorkflowsStateNotAnAwsEvent() throws IOException {
        var in = (ValidateSpecInput) read("validate-spec.json");
        assertThat(in.spec().path("name").asText()).isEqualTo("vprofile");
        assertThat(in.checksNetwork()).isTrue();
    }

    /** The sample as its function's handler reads it (JsonHandler: the bytes into the handler's input type). */
    private static Object read(String sample) throws IOException {
        return JsonHandler.JSON.readValue(Files.readAllBytes(EVENTS.resolve(sample)), inputType(FUNCTION.get(sample)));
    }

    /** I of the function's handler ({@code extends JsonHandler<I, O>}). */
    private static Class<?> inputType(String function) {
        SamTemplate.Function f = TEMPLATE.functions().stream().filter(x -> x.logicalId().equals(function)).findFirst().orElseThrow();
        try {
            for (Class<?> c = Class.forName(f.handlerClass()); c != null; c = c.getSuperclass()) {
                if (c.getGenericSuperclass() instanceof ParameterizedType p && p.getRawType() == JsonHandler.class) {
                    return (Class<?>) p.getActualTypeArguments()[0];
                }
            }
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(f.handlerClass() + " is not a JsonHandler");
    }
}
