package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.local.lambda.FunctionDefinition;
import dev.pipeline.local.testfns.RecordingHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.EventBridgeConfiguration;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EventBridge rules with a Lambda function target invoke the function in the local runtime, once per event, before
 * the write that emitted the event is answered (so no test polls for it).
 */
@ExtendWith(LocalCloudExtension.class)
class LambdaTargetRelayIT {
    private static final String BUCKET = "artifacts";
    private static final String RULE = "release-uploaded";
    private static final String FUNCTION = "start-deploy";
    private static final String FUNCTION_ARN = LocalCloud.functionArn(FUNCTION);
    /** Longer than the relay queue's visibility timeout (2 s): a message not deleted would be delivered again by then. */
    private static final long REDELIVERY_WINDOW_MILLIS = 2_500;

    @BeforeEach
    void registerRecorder(LocalCloud cloud) {
        RecordingHandler.INPUTS.clear();
        cloud.register(FunctionDefinition.of(FUNCTION, RecordingHandler.class));
    }

    @Test
    void upload_underReleases_invokesTheFunctionExactlyOnce_withTheS3Event(S3Client s3, EventBridgeClient events)
            throws Exception {
        givenReleaseRule(s3, events);

        String version = s3.putObject(b -> b.bucket(BUCKET).key("releases/app.war"), RequestBody.fromString("war-1")).versionId();

        assertThat(RecordingHandler.INPUTS).singleElement().satisfies(event -> {
            assertThat(event.path("source").asText()).isEqualTo("aws.s3");
            assertThat(event.path("detail-type").asText()).isEqualTo("Object Created");
            assertThat(event.path("detail").path("bucket").path("name").asText()).isEqualTo(BUCKET);
            assertThat(event.path("detail").path("object").path("key").asText()).isEqualTo("releases/app.war");
            assertThat(event.path("detail").path("object").path("version-id").asText()).isNotBlank().isEqualTo(version);
            assertThat(event.path("id").asText()).isNotEqualTo(RelayedEvent.MOTO_CONSTANT_ID);
            assertThat(event.path("account").asText()).isEqualTo(LocalCloud.ACCOUNT_ID);
        });
        Thread.sleep(REDELIVERY_WINDOW_MILLIS);
        assertThat(RecordingHandler.INPUTS).as("no second invocation from a redelivery or the background poll").hasSize(1);
    }

    @Test
    void uploads_outsideReleasesOrNotWar_invokeNothing(S3Client s3, EventBridgeClient events) {
        givenReleaseRule(s3, events);

        s3.putObject(b -> b.bucket(BUCKET).key("other/app.war"), RequestBody.fromString("war"));
        s3.putObject(b -> b.bucket(BUCKET).key("releases/notes.txt"), RequestBody.fromString("notes"));
        assertThat(RecordingHandler.INPUTS).isEmpty();

        // the matching upload after the two others proves the rule was live for them too
        s3.putObject(b -> b.bucket(BUCKET).key("releases/ok.war"), RequestBody.fromString("war"));
        assertThat(RecordingHandler.INPUTS).extracting(LambdaTargetRelayIT::key).containsExactly("releases/ok.war");
    }

    @Test
    void twoUploads_invokeTwice_oncePerObjectVersion(S3Client s3, EventBridgeClient events) {
        givenReleaseRule(s3, events);

        String v1 = s3.putObject(b -> b.bucket(BUCKET).key("releases/app.war"), RequestBody.fromString("one")).versionId();
        String v2 = s3.putObject(b -> b.bucket(BUCKET).key("releases/app.war"), RequestBody.fromString("two")).versionId();

        assertThat(RecordingHandler.INPUTS).extracting(e -> e.path("detail").path("object").path("version-id").asText())
                .containsExactly(v1, v2);
        assertThat(RecordingHandler.INPUTS.stream().map(e -> e.path("id").asText()).distinct()).hasSize(2);
    }

    @Test
    void putTargetsTwice_keepsOneTarget_showingTheFunction_andInvokesOnce(S3Client s3, EventBridgeClient events) {
        givenReleaseRule(s3, events);
        events.putTargets(b -> b.rule(RULE).targets(t -> t.id("deploy").arn(FUNCTION_ARN)));

        List<Target> targets = events.listTargetsByRule(b -> b.rule(RULE)).targets();
        s3.putObject(b -> b.bucket(BUCKET).key("releases/app.war"), RequestBody.fromString("war"));

        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo("deploy");
            assertThat(t.arn()).isEqualTo(FUNCTION_ARN);
        });
        assertThat(events.listRuleNamesByTarget(b -> b.targetArn(FUNCTION_ARN)).ruleNames()).containsExactly(RULE);
        assertThat(RecordingHandler.INPUTS).hasSize(1);
    }

    @Test
    void removedTarget_invokesNothing_andTheRuleCanThenBeDeleted(S3Client s3, EventBridgeClient events) {
        givenReleaseRule(s3, events);
        s3.putObject(b -> b.bucket(BUCKET).key("releases/v1.war"), RequestBody.fromString("one"));

        events.removeTargets(b -> b.rule(RULE).ids("deploy"));
        s3.putObject(b -> b.bucket(BUCKET).key("releases/v2.war"), RequestBody.fromString("two"));

        assertThat(events.listTargetsByRule(b -> b.rule(RULE)).targets()).isEmpty();
        assertThat(RecordingHandler.INPUTS).extracting(LambdaTargetRelayIT::key).containsExactly("releases/v1.war");
        events.deleteRule(b -> b.name(RULE));
        assertThat(events.listRules(b -> b.namePrefix(RULE)).rules()).isEmpty();
    }

    @Test
    void qualifiedFunctionArn_withInputPath_invokesTheFunction_withThatPartOfTheEvent(EventBridgeClient events) {
        events.putRule(b -> b.name("custom").eventPattern("{\"source\":[\"pipeline.test\"]}"));
        events.putTargets(b -> b.rule("custom").targets(t -> t.id("fn").arn(FUNCTION_ARN + ":live").inputPath("$.detail")));

        events.putEvents(b -> b.entries(e -> e.source("pipeline.test").detailType("Thing Happened").detail("{\"thing\":42}")));

        assertThat(RecordingHandler.INPUTS).singleElement()
                .satisfies(input -> assertThat(input.toString()).isEqualTo("{\"thing\":42}"));
        assertThat(events.listTargetsByRule(b -> b.rule("custom")).targets())
                .extracting(Target::arn).containsExactly(FUNCTION_ARN + ":live");
    }

    @Test
    void slowFunction_hasFinished_whenTheWriteThatEmittedTheEventIsAnswered(EventBridgeClient events) {
        events.putRule(b -> b.name("custom").eventPattern("{\"source\":[\"pipeline.test\"]}"));
        events.putTargets(b -> b.rule("custom").targets(t -> t.id("fn").arn(FUNCTION_ARN).inputPath("$.detail")));

        events.putEvents(b -> b.entries(e -> e.source("pipeline.test").detailType("Thing").detail("{\"delayMillis\":500}")));

        assertThat(RecordingHandler.INPUTS).as("recorded before PutEvents answered").hasSize(1);
    }

    @Test
    void failingFunction_isInvokedOnce_notRetried_andLaterEventsStillArrive(EventBridgeClient events) throws Exception {
        events.putRule(b -> b.name("custom").eventPattern("{\"source\":[\"pipeline.test\"]}"));
        events.putTargets(b -> b.rule("custom").targets(t -> t.id("fn").arn(FUNCTION_ARN).inputPath("$.detail")));

        events.putEvents(b -> b.entries(e -> e.source("pipeline.test").detailType("Thing").detail("{\"fail\":true}")));
        Thread.sleep(REDELIVERY_WINDOW_MILLIS);
        events.putEvents(b -> b.entries(e -> e.source("pipeline.test").detailType("Thing").detail("{\"fail\":false}")));

        assertThat(RecordingHandler.INPUTS).extracting(i -> i.path("fail").asBoolean()).containsExactly(true, false);
    }

    @Test
    void targetFunctionNotRegistered_dropsTheEvent_andOtherRulesStillDeliver(EventBridgeClient events) {
        events.putRule(b -> b.name("nowhere").eventPattern("{\"source\":[\"pipeline.test\"]}"));
        events.putTargets(b -> b.rule("nowhere").targets(t -> t.id("fn").arn(LocalCloud.functionArn("no-such-function"))));
        events.putRule(b -> b.name("custom").eventPattern("{\"source\":[\"pipeline.test\"]}"));
        events.putTargets(b -> b.rule("custom").targets(t -> t.id("fn").arn(FUNCTION_ARN)));

        int failed = events.putEvents(b -> b.entries(e -> e.source("pipeline.test").detailType("Thing").detail("{}")))
                .failedEntryCount();

        assertThat(failed).isZero();
        assertThat(RecordingHandler.INPUTS).hasSize(1);
    }

    /**
     * A versioned bucket sending events to EventBridge, and a rule on the default bus that invokes the function for
     * every WAR put under releases/.
     */
    private static void givenReleaseRule(S3Client s3, EventBridgeClient events) {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        s3.putBucketNotificationConfiguration(b -> b.bucket(BUCKET)
                .notificationConfiguration(n -> n.eventBridgeConfiguration(EventBridgeConfiguration.builder().build())));
        // values in one pattern array are ORed; a wildcard is how EventBridge says "prefix AND suffix"
        String pattern = """
            {"source":["aws.s3"],"detail-type":["Object Created"],
             "detail":{"bucket":{"name":["%s"]},"object":{"key":[{"wildcard":"releases/*.war"}]}}}
            """.formatted(BUCKET);
        events.putRule(b -> b.name(RULE).eventPattern(pattern));
        events.putTargets(b -> b.rule(RULE).targets(t -> t.id("deploy").arn(FUNCTION_ARN)));
    }

    private static String key(JsonNode event) {
        return event.path("detail").path("object").path("key").asText();
    }
}
