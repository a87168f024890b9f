package dev.pipeline.local.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.local.testfns.RecordingHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** LocalDeployment makes the rules of the template's EventBridgeRule events, and they invoke the local functions. */
@ExtendWith(LocalCloudExtension.class)
class LocalDeploymentEventRulesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENV = "evt";

    private SamTemplate template;

    @BeforeEach
    void readTemplate() throws Exception {
        RecordingHandler.INPUTS.clear();
        template = SamTemplate.read(Path.of(getClass().getResource("event-rules-template.yaml").toURI()));
    }

    @Test
    void deployTwice_makesOneRulePerEventBridgeRuleEvent_withTheFunctionAsItsOneTarget(LocalCloud cloud, EventBridgeClient events)
            throws Exception {
        LocalDeployment.inProcess(cloud, template).deploy(ENV, Map.of());
        LocalDeployment.Deployed deployed = LocalDeployment.inProcess(cloud, template).deploy(ENV, Map.of());

        assertThat(events.listRules(b -> b.namePrefix(ENV + "-")).rules()).extracting(Rule::name)
                .containsExactlyInAnyOrder("evt-StartDeployFunction-ReleaseUploaded", "evt-OnCustomEventFunction-Custom");
        assertThat(events.listTargetsByRule(b -> b.rule("evt-StartDeployFunction-ReleaseUploaded")).targets())
                .singleElement().satisfies(t -> {
                    assertThat(t.id()).isEqualTo("StartDeployFunctionReleaseUploadedLambdaTarget");
                    assertThat(t.arn()).isEqualTo(LocalCloud.functionArn("evt-StartDeployFunction"));
                });
        assertThat(events.listTargetsByRule(b -> b.rule("evt-OnCustomEventFunction-Custom")).targets())
                .singleElement().satisfies(t -> {
                    assertThat(t.id()).isEqualTo("custom-target");
                    assertThat(t.inputPath()).isEqualTo("$.detail");
                });
        JsonNode pattern = JSON.readTree(events.describeRule(b -> b.name("evt-StartDeployFunction-ReleaseUploaded")).eventPattern());
        assertThat(pattern.path("detail").path("bucket").path("name").get(0).asText()).isEqualTo(deployed.bucket());
    }

    @Test
    void uploadToTheDeployedBucket_invokesTheDeployedFunction_once(LocalCloud cloud, S3Client s3) throws Exception {
        LocalDeployment.Deployed deployed = LocalDeployment.inProcess(cloud, template).deploy(ENV, Map.of());
        LocalDeployment.inProcess(cloud, template).deploy(ENV, Map.of());

        s3.putObject(b -> b.bucket(deployed.bucket()).key("notes/readme.txt"), RequestBody.fromString("not a release"));
        String version = s3.putObject(b -> b.bucket(deployed.bucket()).key("releases/app.war"), RequestBody.fromString("war"))
                .versionId();

        assertThat(RecordingHandler.INPUTS).singleElement().satisfies(event -> {
            assertThat(event.path("detail").path("object").path("key").asText()).isEqualTo("releases/app.war");
            assertThat(event.path("detail").path("object").path("version-id").asText()).isEqualTo(version);
        });
    }

    @Test
    void subInThePattern_resolvesToTheEnvironment_andInputPathIsApplied(LocalCloud cloud, EventBridgeClient events) throws Exception {
        LocalDeployment.inProcess(cloud, template).deploy(ENV, Map.of());

        events.putEvents(b -> b.entries(
                e -> e.source("pipeline.test").detailType("Thing").detail("{\"environment\":\"other\"}"),
                e -> e.source("pipeline.test").detailType("Thing").detail("{\"environment\":\"evt\",\"n\":1}")));

        assertThat(RecordingHandler.INPUTS).singleElement()
                .satisfies(input -> assertThat(input.toString()).isEqualTo("{\"environment\":\"evt\",\"n\":1}"));
    }
}
