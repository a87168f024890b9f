package dev.pipeline.provision.instances;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.ssm.SsmClient;

import static dev.pipeline.provision.instances.InstanceStageFixture.instance;
import static dev.pipeline.provision.instances.InstanceStageFixture.instances;
import static dev.pipeline.provision.instances.InstanceStageFixture.tag;
import static dev.pipeline.provision.instances.InstanceStageFixture.userData;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class ProvisionAppServerIT {
    private static final String ENV = LandingZone.ENVIRONMENT;

    @Test
    void provision_launchesApp01_withTheAppGroupProfileAndHardening(LocalCloud cloud, Ec2Client ec2, SsmClient ssm) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        var handler = new ProvisionAppServerHandler(f.zone().functionEnvironment(cloud, "ProvisionAppServerFunction"));

        JsonNode out = StageHarness.invoke(handler, f.state());

        assertThat(out.get("skipped").asBoolean()).isFalse();
        Instance app = instances(ec2, ENV, "app01").getFirst();
        assertThat(instances(ec2, ENV, "app01")).hasSize(1);
        assertThat(out.get("instanceId").asText()).isEqualTo(app.instanceId());
        assertThat(out.get("privateIp").asText()).isEqualTo(app.privateIpAddress());
        assertThat(app.instanceTypeAsString()).isEqualTo("t3.small");
        assertThat(app.subnetId()).isEqualTo(f.zone().appSubnets().getFirst());
        assertThat(app.securityGroups()).singleElement().satisfies(g -> assertThat(g.groupId()).isEqualTo(f.appGroupId()));
        assertThat(app.iamInstanceProfile().arn()).endsWith("/" + f.zone().appProfile());
        assertThat(app.metadataOptions().httpTokens()).isEqualTo(HttpTokensState.REQUIRED);
        assertThat(app.metadataOptions().httpPutResponseHopLimit()).isEqualTo(1);
        assertThat(tag(app.tags(), "Name")).isEqualTo(ENV + "-app01");
        String volumeId = app.blockDeviceMappings().getFirst().ebs().volumeId();
        var volume = ec2.describeVolumes(b -> b.volumeIds(volumeId)).volumes().getFirst();
        assertThat(volume.encrypted()).isTrue();
        assertThat(volume.volumeType()).isEqualTo(VolumeType.GP3);
        assertThat(tag(volume.tags(), "pipeline:component")).isEqualTo("app01");
        String script = userData(ec2, app.instanceId());
        assertThat(script).contains("'" + f.databaseParameter() + "'", "'" + f.brokerParameter() + "'",
                        "'db01.vprofile.in'", "'mc01.vprofile.in'", "'rmq01.vprofile.in'",
                        "'" + f.zone().bucket() + "'", "'" + dev.pipeline.spec.SpecDefaults.BOOTSTRAP_WAR_KEY + "'", "'/login'")
                .doesNotContain(f.databasePassword(), f.brokerPassword());
    }

    @Test
    void provision_isReady_onceApp01Runs_andCreatesNothingNew_whenRunAgain(LocalCloud cloud, Ec2Client ec2) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        var handler = new ProvisionAppServerHandler(f.zone().functionEnvironment(cloud, "ProvisionAppServerFunction"));
        ObjectNode state = f.state();

        JsonNode first = StageHarness.invoke(handler, state);
        // ready once its boot script has ended well (it tags itself pipeline:boot=complete), not when it runs
        JsonNode second = StageHarness.invokeUntilReady(handler, state, out ->
                "console:\n" + cloud.instanceModel().console(out.path("instanceId").asText()).orElse("(none)"));
        JsonNode nextRun = StageHarness.invoke(handler, f.nextRun(state));

        assertThat(first.get("ready").asBoolean()).isFalse();
        assertThat(second.get("instanceId").asText()).isEqualTo(first.get("instanceId").asText());
        assertThat(nextRun.get("instanceId").asText()).isEqualTo(first.get("instanceId").asText());
        assertThat(instances(ec2, ENV, "app01")).hasSize(1);
    }

    @Test
    void provision_relaunchesATerminatedApp01_andStartsAStoppedOne(LocalCloud cloud, Ec2Client ec2) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        var handler = new ProvisionAppServerHandler(f.zone().functionEnvironment(cloud, "ProvisionAppServerFunction"));
        ObjectNode state = f.state();
        String first = StageHarness.invoke(handler, state).get("instanceId").asText();

        ec2.terminateInstances(b -> b.instanceIds(first));
        String second = StageHarness.invoke(handler, state).get("instanceId").asText();
        ec2.stopInstances(b -> b.instanceIds(second));
        JsonNode restarted = StageHarness.invoke(handler, state);

        assertThat(second).isNotEqualTo(first);
        assertThat(restarted.get("instanceId").asText()).isEqualTo(second);
        assertThat(instance(ec2, second).state().nameAsString()).isEqualTo("running");
        assertThat(instances(ec2, ENV, "app01", "pending", "running", "stopping", "stopped")).hasSize(1);
    }

    @Test
    void provision_isSkipped_whenTheEnvironmentHasAGoldenImage(LocalCloud cloud, Ec2Client ec2) {
        // given a golden image made earlier (app01 was retired after it became available)
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        String builder = ec2.runInstances(b -> b.imageId(amazonLinux(cloud)).minCount(1).maxCount(1)
                .subnetId(f.zone().appSubnets().getFirst())).instances().getFirst().instanceId();
        ec2.createImage(b -> b.instanceId(builder).name(ENV + "-golden-1").tagSpecifications(t -> t
                .resourceType(ResourceType.IMAGE).tags(
                        Tag.builder().key("pipeline:environment").value(ENV).build(),
                        Tag.builder().key("pipeline:component").value("golden-ami").build())));
        ec2.terminateInstances(b -> b.instanceIds(builder));

        // when provisioning runs again
        JsonNode out = StageHarness.invoke(new ProvisionAppServerHandler(f.zone().functionEnvironment(cloud, "ProvisionAppServerFunction")), f.state());

        // then app01 is not built again
        assertThat(out.get("skipped").asBoolean()).isTrue();
        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(out.has("instanceId")).isFalse();
        assertThat(instances(ec2, ENV, "app01")).isEmpty();
    }

    @Test
    void provision_isNotSkipped_byAnotherEnvironmentsGoldenImage(LocalCloud cloud, Ec2Client ec2) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        String builder = ec2.runInstances(b -> b.imageId(amazonLinux(cloud)).minCount(1).maxCount(1)
                .subnetId(f.zone().appSubnets().getFirst())).instances().getFirst().instanceId();
        ec2.createImage(b -> b.instanceId(builder).name("other-golden-1").tagSpecifications(t -> t
                .resourceType(ResourceType.IMAGE).tags(
                        Tag.builder().key("pipeline:environment").value("other").build(),
                        Tag.builder().key("pipeline:component").value("golden-ami").build())));

        JsonNode out = StageHarness.invoke(new ProvisionAppServerHandler(f.zone().functionEnvironment(cloud, "ProvisionAppServerFunction")), f.state());

        assertThat(out.get("skipped").asBoolean()).isFalse();
        assertThat(instances(ec2, ENV, "app01")).hasSize(1);
    }

    private static String amazonLinux(LocalCloud cloud) {
        return cloud.client(SsmClient.class).getParameter(b -> b.name(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")).parameter().value();
    }
}
