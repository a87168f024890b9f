package dev.pipeline.provision.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.cloudformation.CustomResourceResponses;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Environment custom resource: stack events start the right workflow, bad requests are answered at once. */
@ExtendWith(LocalCloudExtension.class)
class StackEventIT {
    private static final String SPEC = """
        {"specVersion":1,"name":"vprofile","network":{"vpcId":"vpc-1","publicSubnets":["subnet-a","subnet-b"],
         "appSubnets":["subnet-c"],"adminCidr":"203.0.113.0/24"},"fleet":{"min":1,"desired":2,"max":3},
         "loadBalancer":{"certificateArn":""},"artifacts":{"bucket":"vprofile-artifacts"}}""";

    private ResponseCatcher cfn;
    private String provision;
    private String teardown;
    private StackEventHandler handler;

    @BeforeEach
    void setUp(LocalCloud cloud, SfnClient sfn) throws Exception {
        cfn = new ResponseCatcher();
        String pass = "{\"StartAt\":\"Wait\",\"States\":{\"Wait\":{\"Type\":\"Pass\",\"End\":true}}}";
        provision = sfn.createStateMachine(b -> b.name("vprofile-provision").definition(pass).roleArn("arn:aws:iam::123456789012:role/s")).stateMachineArn();
        teardown = sfn.createStateMachine(b -> b.name("vprofile-teardown").definition(pass).roleArn("arn:aws:iam::123456789012:role/s")).stateMachineArn();
        // as the deployed function's execution role: the template's grants are what it has
        Map<String, String> env = LandingZone.asRole(new HashMap<>(Map.of(
                "AWS_ENDPOINT_URL", cloud.endpoint().toString(), "AWS_REGION", LocalCloud.REGION, "PIPELINE_LOCAL", "true",
                "PROVISION_STATE_MACHINE_ARN", provision, "TEARDOWN_STATE_MACHINE_ARN", teardown, "POLL_SECONDS", "30")),
                cloud, "StackEventFunction", Map.of());
        handler = new StackEventHandler(env);
        this.env = env;
    }

    private Map<String, String> env;

    /** A handler whose workflows wait ten minutes: runs that are still RUNNING when the next event comes. */
    private StackEventHandler slowWorkflows(SfnClient sfn) {
        String slow = "{\"StartAt\":\"Stage\",\"States\":{\"Stage\":{\"Type\":\"Wait\",\"Seconds\":600,\"End\":true}}}";
        sfn.updateStateMachine(b -> b.stateMachineArn(provision).definition(slow));
        sfn.updateStateMachine(b -> b.stateMachineArn(teardown).definition(slow));
        Map<String, String> e = new HashMap<>(env);
        e.put("PROVISION_STATE_MACHINE_ARN", provision);
        e.put("TEARDOWN_STATE_MACHINE_ARN", teardown);
        return new StackEventHandler(e);
    }

    @AfterEach
    void tearDown() { cfn.close(); }

    private ObjectNode event(String type, String specJson) {
        String id = UUID.randomUUID().toString();
        ObjectNode e = JsonHandler.JSON.createObjectNode();
        e.put("RequestType", type).put("ResponseURL", cfn.url(id)).put("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/vprofile/1")
                .put("RequestId", id).put("LogicalResourceId", "Environment").put("ResourceType", "Custom::Environment");
        if (!type.equals("Create")) e.put("PhysicalResourceId", "vprofile");
        e.putObject("ResourceProperties").put("ServiceToken", "arn:aws:lambda:x").put("SpecJson", specJson);
        return e;
    }

    private static List<ExecutionListItem> executions(SfnClient sfn, String machine) {
        return sfn.listExecutions(b -> b.stateMachineArn(machine)).executions();
    }

    @Test
    void create_startsProvisioning_withTheSpecTheCallbackAndNoAnswerYet(SfnClient sfn) {
        ObjectNode event = event("Create", SPEC);

        JsonNode out = StageHarness.invoke(handler, event);

        assertThat(executions(sfn, provision)).hasSize(1);
        assertThat(executions(sfn, teardown)).isEmpty();
        String input = sfn.describeExecution(b -> b.executionArn(out.path("executionArn").asText())).input();
        JsonNode in = JsonHandler.JSON.valueToTree(readTree(input));
        assertThat(in.path("spec").path("name").asText()).isEqualTo("vprofile");
        assertThat(in.path("spec").path("loadBalancer").has("certificateArn")).as("an empty optional parameter means unset").isFalse();
        assertThat(in.path("callback").path("physicalResourceId").asText()).isEqualTo("vprofile");
        assertThat(in.path("callback").path("responseUrl").asText()).isEqualTo(event.path("ResponseURL").asText());
        assertThat(in.path("run").path("pollSeconds").asInt()).isEqualTo(30);
        assertThat(cfn.answers).as("the workflow answers when it ends, not the handler").isEmpty();
    }

    @Test
    void redeliveredEvent_startsNoSecondExecution(SfnClient sfn) {
        ObjectNode event = event("Update", SPEC);

        StageHarness.invoke(handler, event);
        StageHarness.invoke(handler, event);

        assertThat(executions(sfn, provision)).hasSize(1);
    }

    @Test
    void delete_startsTeardown(SfnClient sfn) {
        StageHarness.invoke(handler, event("Delete", SPEC));

        assertThat(executions(sfn, teardown)).hasSize(1);
        assertThat(executions(sfn, provision)).isEmpty();
    }

    @Test
    void malformedSpec_isAnsweredFailedAtOnce_andNothingStarts(SfnClient sfn) {
        StageHarness.invoke(handler, event("Create", "{not json"));

        assertThat(executions(sfn, provision)).isEmpty();
        assertThat(cfn.answers).hasSize(1);
        JsonNode answer = cfn.answers.getFirst().body();
        assertThat(answer.path("Status").asText()).isEqualTo("FAILED");
        assertThat(answer.path("Reason").asText()).contains("SpecJson is not valid JSON");
        assertThat(answer.path("LogicalResourceId").asText()).isEqualTo("Environment");
        assertThat(cfn.answers.getFirst().contentType()).as("presigned URLs are signed without a content type").isNullOrEmpty();
    }

    @Test
    void respondToStack_success_givesTheStackTheSiteUrl() {
        ObjectNode in = JsonHandler.JSON.createObjectNode().put("status", "SUCCESS");
        in.set("callback", JsonHandler.JSON.valueToTree(new StackCallback(cfn.url("r1"), "stack", "r1", "Environment", "vprofile")));
        in.putObject("state").putObject("verification").put("siteUrl", "http://vprofile-alb-1.us-east-1.elb.amazonaws.com");

        StageHarness.invoke(new RespondToStackHandler(Map.of()), in);

        JsonNode answer = cfn.answers.getFirst().body();
        assertThat(answer.path("Status").asText()).isEqualTo("SUCCESS");
        assertThat(answer.path("PhysicalResourceId").asText()).isEqualTo("vprofile");
        assertThat(answer.path("Data").path("SiteUrl").asText()).isEqualTo("http://vprofile-alb-1.us-east-1.elb.amazonaws.com");
    }

    @Test
    void respondToStack_failure_namesTheStageAndTheCause() {
        ObjectNode in = JsonHandler.JSON.createObjectNode().put("status", "FAILED").put("stage", "ProvisionLoadBalancer");
        in.set("callback", JsonHandler.JSON.valueToTree(new StackCallback(cfn.url("r2"), "stack", "r2", "Environment", "vprofile")));
        in.putObject("error").put("Error", "dev.pipeline.functions.StageFailedException")
                .put("Cause", "{\"errorMessage\":\"ElasticLoadBalancingV2 TooManyLoadBalancers: quota reached\",\"errorType\":\"x\"}");

        StageHarness.invoke(new RespondToStackHandler(Map.of()), in);

        String reason = cfn.answers.getFirst().body().path("Reason").asText();
        assertThat(reason).startsWith("ProvisionLoadBalancer failed").contains("TooManyLoadBalancers: quota reached");
        assertThat(cfn.answers.getFirst().body().path("Status").asText()).isEqualTo("FAILED");
    }

    @Test
    void update_thatChangesTheEnvironmentName_isAnsweredFailedWithTheOldId_soNoReplacementAndNoDeleteFollows(SfnClient sfn) {
        StageHarness.invoke(handler, event("Update", SPEC.replace("\"name\":\"vprofile\"", "\"name\":\"vprofile2\"")));

        assertThat(executions(sfn, provision)).as("nothing is provisioned under the new name").isEmpty();
        JsonNode answer = cfn.answers.getFirst().body();
        assertThat(answer.path("Status").asText()).isEqualTo("FAILED");
        assertThat(answer.path("PhysicalResourceId").asText()).as("same id: CloudFormation sees no replacement").isEqualTo("vprofile");
        assertThat(answer.path("Reason").asText()).contains("EnvironmentName cannot change").contains("\"vprofile\"").contains("\"vprofile2\"");
    }

    @Test
    void delete_whileProvisioningRuns_stopsIt_thenTearsDownAfterWaitingOutItsStage(SfnClient sfn) {
        StackEventHandler h = slowWorkflows(sfn);
        String provisioning = StageHarness.invoke(h, event("Create", SPEC)).path("executionArn").asText();

        JsonNode out = StageHarness.invoke(h, event("Delete", SPEC));

        assertThat(sfn.describeExecution(b -> b.executionArn(provisioning)).status())
                .isEqualTo(software.amazon.awssdk.services.sfn.model.ExecutionStatus.ABORTED);
        assertThat(executions(sfn, teardown)).hasSize(1);
        JsonNode in = readTree(sfn.describeExecution(b -> b.executionArn(out.path("executionArn").asText())).input());
        assertThat(in.path("settleSeconds").asInt()).as("the stopped run's stage may still run for the functions' timeout").isEqualTo(60);
        sfn.stopExecution(b -> b.executionArn(out.path("executionArn").asText()));
    }

    @Test
    void create_whileATeardownRuns_isRefused_andNothingIsProvisioned(SfnClient sfn) {
        StackEventHandler h = slowWorkflows(sfn);
        String tearingDown = StageHarness.invoke(h, event("Delete", SPEC)).path("executionArn").asText();

        StageHarness.invoke(h, event("Create", SPEC));

        assertThat(executions(sfn, provision)).isEmpty();
        JsonNode answer = cfn.answers.getFirst().body();
        assertThat(answer.path("Status").asText()).isEqualTo("FAILED");
        assertThat(answer.path("Reason").asText()).contains("a teardown of vprofile is running");
        assertThat(readTree(sfn.describeExecution(b -> b.executionArn(tearingDown)).input()).has("settleSeconds"))
                .as("nothing was stopped, nothing to wait for").isFalse();
        sfn.stopExecution(b -> b.executionArn(tearingDown));
    }

    @Test
    void delete_whoseSpecCannotBeParsed_isAnsweredSuccess_soTheStackIsNotWedged(SfnClient sfn) {
        // nothing can have been provisioned from a spec that never parsed: a FAILED answer would leave the stack in
        // DELETE_FAILED / ROLLBACK_FAILED with nothing to delete
        StageHarness.invoke(handler, event("Delete", "{not json"));

        assertThat(executions(sfn, teardown)).isEmpty();
        JsonNode answer = cfn.answers.getFirst().body();
        assertThat(answer.path("Status").asText()).isEqualTo("SUCCESS");
        assertThat(answer.path("Reason").asText()).contains("SpecJson is not valid JSON").contains("nothing to tear down");
        assertThat(answer.path("PhysicalResourceId").asText()).isEqualTo("vprofile");
    }

    @Test
    void respondToStack_aLongNonAsciiCause_isCutToCloudFormations4096Bytes_andCloudFormationTakesIt(LocalCloud cloud) throws Exception {
        String url = CustomResourceResponses.url(cloud.endpoint(), "r3");
        ObjectNode in = JsonHandler.JSON.createObjectNode().put("status", "FAILED").put("stage", "ProvisionDns");
        in.set("callback", JsonHandler.JSON.valueToTree(new StackCallback(url, "stack", "r3", "Environment", "vprofile")));
        in.putObject("error").put("Error", "dev.pipeline.functions.StageFailedException")
                .put("Cause", "{\"errorMessage\":\"" + "ゾーン名が衝突しています ".repeat(300) + "\",\"errorType\":\"x\"}");

        StageHarness.invoke(new RespondToStackHandler(Map.of()), in);

        JsonNode verdict = verdict(cloud, "r3");
        assertThat(verdict.path("accepted").asBoolean()).as(verdict.path("reason").asText()).isTrue();
        assertThat(verdict.path("bytes").asInt()).isLessThanOrEqualTo(4096);
        assertThat(verdict.path("status").asText()).isEqualTo("FAILED");
        assertThat(verdict.path("reason").asText()).startsWith("ProvisionDns failed").endsWith("…");
    }

    /** What the local cloud's CloudFormation made of the answer to request {@code id}. */
    private static JsonNode verdict(LocalCloud cloud, String id) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(CustomResourceResponses.url(cloud.endpoint(), id))).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return readTree(r.body());
    }

    private static JsonNode readTree(String s) {
        try {
            return JsonHandler.JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
