package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.EventBridgeConfiguration;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** EventBridge rules with a state machine target start executions; unnamed executions get UUID names. */
@ExtendWith(LocalCloudExtension.class)
class EventRelayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "artifacts";
    private static final String RULE = "release-uploaded";
    private static final String ROLE = "arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/events-start-deploy";
    /** How long an expected execution may take to show up, and how long we watch for an unexpected extra one. */
    private static final Duration APPEAR = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(1);

    @Test
    void upload_underReleases_startsExactlyOneExecution_namingKeyAndVersion(S3Client s3, EventBridgeClient events, SfnClient sfn)
            throws Exception {
        String machine = givenReleaseRule(s3, events, sfn, t -> t);

        String version = s3.putObject(b -> b.bucket(BUCKET).key("releases/x.war"), RequestBody.fromString("war-1")).versionId();

        List<ExecutionListItem> started = executionsSettled(sfn, machine, 1);
        assertThat(started).hasSize(1);
        JsonNode input = input(sfn, started.getFirst());
        assertThat(input.path("source").asText()).isEqualTo("aws.s3");
        assertThat(input.path("detail-type").asText()).isEqualTo("Object Created");
        assertThat(input.path("detail").path("bucket").path("name").asText()).isEqualTo(BUCKET);
        assertThat(input.path("detail").path("object").path("key").asText()).isEqualTo("releases/x.war");
        assertThat(input.path("detail").path("object").path("version-id").asText()).isNotBlank().isEqualTo(version);
        assertThat(input.path("id").asText()).isNotEqualTo(RelayedEvent.MOTO_CONSTANT_ID);
    }

    @Test
    void uploads_outsideReleasesOrNotWar_startNothing(S3Client s3, EventBridgeClient events, SfnClient sfn) throws Exception {
        String machine = givenReleaseRule(s3, events, sfn, t -> t);

        s3.putObject(b -> b.bucket(BUCKET).key("other/x.war"), RequestBody.fromString("war"));
        s3.putObject(b -> b.bucket(BUCKET).key("releases/x.txt"), RequestBody.fromString("notes"));
        s3.putObject(b -> b.bucket(BUCKET).key("releases/ok.war"), RequestBody.fromString("war"));

        // the matching upload after the two others proves the rule was live for them too
        List<ExecutionListItem> started = executionsSettled(sfn, machine, 1);
        assertThat(started).hasSize(1);
        assertThat(input(sfn, started.getFirst()).path("detail").path("object").path("key").asText()).isEqualTo("releases/ok.war");
    }

    @Test
    void twoUploads_startTwoExecutions_withDistinctNamesAndEventIds(S3Client s3, EventBridgeClient events, SfnClient sfn)
            throws Exception {
        String machine = givenReleaseRule(s3, events, sfn, t -> t);

        String v1 = s3.putObject(b -> b.bucket(BUCKET).key("releases/app.war"), RequestBody.fromString("one")).versionId();
        String v2 = s3.putObject(b -> b.bucket(BUCKET).key("releases/app.war"), RequestBody.fromString("two")).versionId();

        List<ExecutionListItem> started = executionsSettled(sfn, machine, 2);
        assertThat(started).hasSize(2);
        assertThat(started.stream().map(ExecutionListItem::name).distinct()).hasSize(2);
        List<JsonNode> inputs = started.stream().map(e -> input(sfn, e)).toList();
        assertThat(inputs.stream().map(i -> i.path("detail").path("object").path("version-id").asText()))
                .containsExactlyInAnyOrder(v1, v2);
        assertThat(inputs.stream().map(i -> i.path("id").asText()).distinct()).hasSize(2);
    }

    @Test
    void awsCliCopy_startsAnExecution_throughTheSameGateway(LocalCloud cloud, S3Client s3, EventBridgeClient events, SfnClient sfn)
            throws Exception {
        String machine = givenReleaseRule(s3, events, sfn, t -> t);
        Path war = Files.createTempFile("app", ".war");
        Files.writeString(war, "war from the cli");

        AwsCli.Result cli = AwsCli.run(cloud, "s3", "cp", war.toString(), "s3://" + BUCKET + "/releases/y.war");

        assertThat(cli.exitCode()).as(cli.output()).isZero();
        String version = s3.headObject(b -> b.bucket(BUCKET).key("releases/y.war")).versionId();
        List<ExecutionListItem> started = executionsSettled(sfn, machine, 1);
        assertThat(started).hasSize(1);
        JsonNode object = input(sfn, started.getFirst()).path("detail").path("object");
        assertThat(object.path("key").asText()).isEqualTo("releases/y.war");
        assertThat(object.path("version-id").asText()).isEqualTo(version);
    }

    @Test
    void listTargetsByRule_showsTheStateMachine_asTheUserPutIt(S3Client s3, EventBridgeClient events, SfnClient sfn) {
        String machine = givenReleaseRule(s3, events, sfn, t -> t.inputPath("$.detail"));

        List<Target> targets = events.listTargetsByRule(b -> b.rule(RULE)).targets();

        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo("deploy");
            assertThat(t.arn()).isEqualTo(machine);
            assertThat(t.roleArn()).isEqualTo(ROLE);
            assertThat(t.inputPath()).isEqualTo("$.detail");
        });
        assertThat(events.listRuleNamesByTarget(b -> b.targetArn(machine)).ruleNames()).containsExactly(RULE);
    }

    @Test
    void inputTransformerOnAStateMachineTarget_isRefused_notSilentlyIgnored(EventBridgeClient events, SfnClient sfn) {
        String machine = stateMachine(sfn, "transformed");
        events.putRule(b -> b.name(RULE).eventPattern("{\"source\":[\"pipeline.test\"]}"));

        assertThatThrownBy(() -> events.putTargets(b -> b.rule(RULE).targets(t -> t.id("sm").arn(machine).roleArn(ROLE)
                .inputTransformer(x -> x.inputPathsMap(java.util.Map.of("key", "$.detail.key")).inputTemplate("{\"k\": <key>}")))))
                .isInstanceOf(EventBridgeException.class)
                .hasMessageContaining("InputTransformer");
        assertThat(events.listTargetsByRule(b -> b.rule(RULE)).targets()).isEmpty();
    }

    @Test
    void inputPath_passesOnlyThatPartOfTheEvent(S3Client s3, EventBridgeClient events, SfnClient sfn) throws Exception {
        String machine = givenReleaseRule(s3, events, sfn, t -> t.inputPath("$.detail.object"));

        String version = s3.putObject(b -> b.bucket(BUCKET).key("releases/x.war"), RequestBody.fromString("war")).versionId();

        List<ExecutionListItem> started = executionsSettled(sfn, machine, 1);
        assertThat(started).hasSize(1);
        JsonNode input = input(sfn, started.getFirst());
        assertThat(input.path("key").asText()).isEqualTo("releases/x.war");
        assertThat(input.path("version-id").asText()).isEqualTo(version);
        assertThat(input.has("detail")).isFalse();
    }

    @Test
    void removedTarget_startsNothing_andTheRuleCanThenBeDeleted(S3Client s3, EventBridgeClient events, SfnClient sfn)
            throws Exception {
        String machine = givenReleaseRule(s3, events, sfn, t -> t);

        events.removeTargets(b -> b.rule(RULE).ids("deploy"));
        s3.putObject(b -> b.bucket(BUCKET).key("releases/x.war"), RequestBody.fromString("war"));

        assertThat(events.listTargetsByRule(b -> b.rule(RULE)).targets()).isEmpty();
        assertThat(executionsSettled(sfn, machine, 0)).isEmpty();
        events.deleteRule(b -> b.name(RULE));
        assertThat(events.listRules(b -> b.namePrefix(RULE)).rules()).isEmpty();
    }

    @Test
    void disabledRule_startsNothing(S3Client s3, EventBridgeClient events, SfnClient sfn) throws Exception {
        String machine = givenReleaseRule(s3, events, sfn, t -> t);

        events.disableRule(b -> b.name(RULE));
        s3.putObject(b -> b.bucket(BUCKET).key("releases/x.war"), RequestBody.fromString("war"));

        assertThat(executionsSettled(sfn, machine, 0)).isEmpty();
    }

    @Test
    void putEvents_matchingACustomRule_startsAnExecutionWithThatEvent(EventBridgeClient events, SfnClient sfn) throws Exception {
        String machine = stateMachine(sfn, "on-custom-event");
        events.putRule(b -> b.name("custom").eventPattern("{\"source\":[\"pipeline.test\"]}"));
        events.putTargets(b -> b.rule("custom").targets(t -> t.id("sm").arn(machine).roleArn(ROLE)));

        String eventId = events.putEvents(b -> b.entries(e -> e.source("pipeline.test").detailType("Thing Happened")
                .detail("{\"thing\":42}"))).entries().getFirst().eventId();

        List<ExecutionListItem> started = executionsSettled(sfn, machine, 1);
        assertThat(started).hasSize(1);
        JsonNode input = input(sfn, started.getFirst());
        assertThat(input.path("id").asText()).isEqualTo(eventId);
        assertThat(input.path("account").asText()).isEqualTo(LocalCloud.ACCOUNT_ID);
        assertThat(input.path("detail").path("thing").asInt()).isEqualTo(42);
    }

    @Test
    void unnamedStartExecution_twice_bothSucceed_withDifferentArns(SfnClient sfn) {
        String machine = stateMachine(sfn, "unnamed");

        String first = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
        String second = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();

        assertThat(first).isNotEqualTo(second).doesNotEndWith(":None");
        assertThat(sfn.describeExecution(b -> b.executionArn(second)).name()).matches("[0-9a-f-]{36}");
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine)).executions()).hasSize(2);
    }

    /**
     * A versioned bucket sending events to EventBridge, and a rule on the default bus that starts a state
     * machine for every WAR put under releases/.
     */
    private static String givenReleaseRule(S3Client s3, EventBridgeClient events, SfnClient sfn,
                                           UnaryOperator<Target.Builder> target) {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        s3.putBucketNotificationConfiguration(b -> b.bucket(BUCKET)
                .notificationConfiguration(n -> n.eventBridgeConfiguration(EventBridgeConfiguration.builder().build())));
        String machine = stateMachine(sfn, "deploy");
        // values in one pattern array are ORed; a wildcard is how EventBridge says "prefix AND suffix"
        String pattern = """
            {"source":["aws.s3"],"detail-type":["Object Created"],
             "detail":{"bucket":{"name":["%s"]},"object":{"key":[{"wildcard":"releases/*.war"}]}}}
            """.formatted(BUCKET);
        events.putRule(b -> b.name(RULE).eventPattern(pattern));
        events.putTargets(b -> b.rule(RULE).targets(target.apply(Target.builder().id("deploy").arn(machine).roleArn(ROLE)).build()));
        return machine;
    }

    private static String stateMachine(SfnClient sfn, String name) {
        return sfn.createStateMachine(b -> b.name(name).roleArn("arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/sfn")
                .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Pass\",\"End\":true}}}")).stateMachineArn();
    }

    /**
     * The executions of {@code machine} once {@code expected} of them exist (or {@link #APPEAR} passed) and
     * {@link #GRACE} more went by, so a test sees a second, unexpected execution too.
     */
    private static List<ExecutionListItem> executionsSettled(SfnClient sfn, String machine, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + APPEAR.toNanos();
        while (expected > 0 && executions(sfn, machine).size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(GRACE.toMillis());
        return executions(sfn, machine);
    }

    private static List<ExecutionListItem> executions(SfnClient sfn, String machine) {
        return sfn.listExecutionsPaginator(b -> b.stateMachineArn(machine)).executions().stream().toList();
    }

    private static JsonNode input(SfnClient sfn, ExecutionListItem execution) {
        try {
            return JSON.readTree(sfn.describeExecution(b -> b.executionArn(execution.executionArn())).input());
        } catch (java.io.IOException e) {
            throw new AssertionError("execution input is not JSON", e);
        }
    }
}
