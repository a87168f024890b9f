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
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.ArrayList;
import java.util.List;

import static dev.pipeline.provision.instances.InstanceStageFixture.instance;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class TeardownInstancesIT {
    private static final String ENV = LandingZone.ENVIRONMENT;

    @Test
    void teardown_terminatesEveryInstanceOfTheEnvironment_andLeavesOthers(LocalCloud cloud, Ec2Client ec2) {
        // given the backends, app01, a deploy builder and a stopped one of the environment,
        // plus an instance of another environment and an untagged one
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        ObjectNode state = f.state();
        JsonNode backends = StageHarness.invoke(new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction")), state);
        JsonNode app = StageHarness.invoke(new ProvisionAppServerHandler(f.zone().functionEnvironment(cloud, "ProvisionAppServerFunction")), state);
        String builder = launch(cloud, f, ENV, "builder");
        ec2.stopInstances(b -> b.instanceIds(backends.at("/instances/mc01/instanceId").asText()));
        String otherEnvironment = launch(cloud, f, "other", "db01");
        String untagged = launch(cloud, f, null, null);
        List<String> ours = new ArrayList<>(List.of(builder, app.get("instanceId").asText()));
        backends.get("instances").forEach(i -> ours.add(i.get("instanceId").asText()));

        // when the teardown stage runs, and again after the state machine's wait
        var teardown = new TeardownInstancesHandler(f.zone().functionEnvironment(cloud, "TeardownInstancesFunction"));
        JsonNode out = StageHarness.invoke(teardown, teardownState(f));
        JsonNode settled = StageHarness.invoke(teardown, teardownState(f));

        // then the first call leaves them shutting down (not ready yet), the second finds them terminated
        assertThat(out.get("ready").asBoolean()).isFalse();
        assertThat(texts(out.get("terminated"))).containsExactlyInAnyOrderElementsOf(ours);
        assertThat(settled.get("ready").asBoolean()).isTrue();
        assertThat(texts(settled.get("terminated"))).containsExactlyInAnyOrderElementsOf(ours);
        // and every instance of the environment is terminated, and only those
        for (String id : ours) {
            assertThat(instance(ec2, id).state().nameAsString()).as(id).isEqualTo("terminated");
        }
        assertThat(instance(ec2, otherEnvironment).state().nameAsString()).isEqualTo("running");
        assertThat(instance(ec2, untagged).state().nameAsString()).isEqualTo("running");
    }

    @Test
    void teardown_twice_isFine_andReportsTheSame(LocalCloud cloud, Ec2Client ec2) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        StageHarness.invoke(new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction")), f.state());
        var teardown = new TeardownInstancesHandler(f.zone().functionEnvironment(cloud, "TeardownInstancesFunction"));

        JsonNode first = StageHarness.invoke(teardown, teardownState(f));
        JsonNode second = StageHarness.invoke(teardown, teardownState(f));
        JsonNode third = StageHarness.invoke(teardown, teardownState(f));

        assertThat(second.get("ready").asBoolean()).isTrue();
        assertThat(third.get("ready").asBoolean()).isTrue();
        assertThat(texts(second.get("terminated"))).hasSize(3).isEqualTo(texts(first.get("terminated")))
                .isEqualTo(texts(third.get("terminated")));
    }

    @Test
    void teardown_ofAnEnvironmentWithoutInstances_isReadyAtOnce(LocalCloud cloud) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);

        JsonNode out = StageHarness.invoke(new TeardownInstancesHandler(f.zone().functionEnvironment(cloud, "TeardownInstancesFunction")), teardownState(f));

        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(out.get("terminated")).isEmpty();
    }

    /** The teardown workflow's state: the spec and the run, nothing from provisioning. */
    private static ObjectNode teardownState(InstanceStageFixture f) {
        return StageHarness.state(f.zone().spec());
    }

    private static String launch(LocalCloud cloud, InstanceStageFixture f, String environment, String component) {
        String image = cloud.client(SsmClient.class).getParameter(b -> b.name(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")).parameter().value();
        return cloud.client(Ec2Client.class).runInstances(b -> {
            b.imageId(image).minCount(1).maxCount(1).subnetId(f.zone().appSubnets().getFirst());
            if (environment != null) {
                b.tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(
                        Tag.builder().key("pipeline:environment").value(environment).build(),
                        Tag.builder().key("pipeline:component").value(component).build()));
            }
        }).instances().getFirst().instanceId();
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
