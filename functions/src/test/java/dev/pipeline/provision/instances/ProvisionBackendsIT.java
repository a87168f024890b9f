package dev.pipeline.provision.instances;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.List;
import java.util.Map;

import static dev.pipeline.provision.instances.InstanceStageFixture.instance;
import static dev.pipeline.provision.instances.InstanceStageFixture.instances;
import static dev.pipeline.provision.instances.InstanceStageFixture.tag;
import static dev.pipeline.provision.instances.InstanceStageFixture.userData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class ProvisionBackendsIT {
    private static final String ENV = LandingZone.ENVIRONMENT;
    private static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    private static final Map<String, String> TYPES = Map.of("db01", "t3.small", "mc01", "t3.micro", "rmq01", "t3.small");

    @Test
    void provision_launchesDbMcAndRmq_hardenedTaggedAndReadingSecretsFromSsm(LocalCloud cloud, Ec2Client ec2, SsmClient ssm) {
        // given the landing zone, the security groups and the secrets
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        var handler = new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction"));

        // when the stage runs
        JsonNode out = StageHarness.invoke(handler, f.state());

        // then one instance per backend host name exists, as the output says
        assertThat(ImmutableNames.of(out.get("instances"))).containsExactly("db01", "mc01", "rmq01");
        String al2023 = ssm.getParameter(b -> b.name(AL2023)).parameter().value();
        int index = 0;
        for (String host : List.of("db01", "mc01", "rmq01")) {
            List<Instance> tagged = instances(ec2, ENV, host);
            assertThat(tagged).as(host).hasSize(1);
            Instance i = tagged.getFirst();
            assertThat(out.at("/instances/" + host + "/instanceId").asText()).isEqualTo(i.instanceId());
            assertThat(out.at("/instances/" + host + "/privateIp").asText()).isEqualTo(i.privateIpAddress());
            assertThat(i.instanceTypeAsString()).as(host).isEqualTo(TYPES.get(host));
            assertThat(i.imageId()).isEqualTo(al2023);
            assertThat(i.subnetId()).as("spread over the app subnets")
                    .isEqualTo(f.zone().appSubnets().get(index++ % f.zone().appSubnets().size()));
            assertThat(i.securityGroups()).singleElement().satisfies(g -> assertThat(g.groupId()).isEqualTo(f.backendGroupId()));
            assertThat(i.iamInstanceProfile().arn()).endsWith("/" + f.zone().backendProfile());
            assertThat(i.metadataOptions().httpTokens()).isEqualTo(HttpTokensState.REQUIRED);
            assertThat(i.metadataOptions().httpEndpoint()).isEqualTo(InstanceMetadataEndpointState.ENABLED);
            assertThat(i.metadataOptions().httpPutResponseHopLimit()).isEqualTo(1);
            assertThat(tag(i.tags(), "Name")).isEqualTo(ENV + "-" + host);
            assertThat(tag(i.tags(), "project")).isEqualTo("vprofile");
            assertThat(rootVolume(ec2, i)).satisfies(v -> {
                assertThat(v.encrypted()).isTrue();
                assertThat(v.volumeType()).isEqualTo(VolumeType.GP3);
                assertThat(tag(v.tags(), "pipeline:component")).isEqualTo(host);
                assertThat(tag(v.tags(), "pipeline:environment")).isEqualTo(ENV);
            });
            String script = userData(ec2, i.instanceId());
            assertThat(script).startsWith("#!/bin/bash").doesNotContain(f.databasePassword(), f.brokerPassword());
        }
        String db = userData(ec2, id(out, "db01"));
        assertThat(db).contains("'" + f.databaseParameter() + "'", "'10.40.10.0/255.255.255.0 10.40.11.0/255.255.255.0'",
                "'" + f.zone().bucket() + "'");
        assertThat(userData(ec2, id(out, "rmq01"))).contains("'" + f.brokerParameter() + "'");
        assertThat(userData(ec2, id(out, "mc01"))).doesNotContain(f.databaseParameter(), f.brokerParameter());
    }

    @Test
    void provision_isReady_onceAllThreeRun(LocalCloud cloud, Ec2Client ec2) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        var handler = new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction"));
        ObjectNode state = f.state();

        // RunInstances answers "pending"; the state machine waits and calls again
        JsonNode first = StageHarness.invoke(handler, state);
        assertThat(first.get("ready").asBoolean()).isFalse();
        assertThat(first.at("/instances/db01/state").asText()).isEqualTo("pending");

        JsonNode second = StageHarness.invoke(handler, state);

        assertThat(second.get("ready").asBoolean()).isTrue();
        for (String host : List.of("db01", "mc01", "rmq01")) {
            assertThat(second.at("/instances/" + host + "/state").asText()).isEqualTo("running");
            assertThat(id(second, host)).isEqualTo(id(first, host));
            assertThat(instance(ec2, id(second, host)).privateIpAddress()).isEqualTo(second.at("/instances/" + host + "/privateIp").asText());
        }
    }

    @Test
    void provision_runTwice_evenUnderANewRun_createsNothingNew(LocalCloud cloud, Ec2Client ec2) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        var handler = new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction"));
        ObjectNode state = f.state();
        JsonNode first = StageHarness.invoke(handler, state);

        JsonNode again = StageHarness.invoke(handler, state);
        JsonNode nextRun = StageHarness.invoke(handler, f.nextRun(state));

        for (String host : List.of("db01", "mc01", "rmq01")) {
            assertThat(id(again, host)).isEqualTo(id(first, host));
            assertThat(id(nextRun, host)).isEqualTo(id(first, host));
            assertThat(instances(ec2, ENV, host)).as(host).hasSize(1);
        }
    }

    @Test
    void provision_relaunchesATerminatedBackend_evenWithinTheSameRun(LocalCloud cloud, Ec2Client ec2) {
        // given all three, then db01 terminated behind the pipeline's back
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        var handler = new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction"));
        ObjectNode state = f.state();
        JsonNode first = StageHarness.invoke(handler, state);
        ec2.terminateInstances(b -> b.instanceIds(id(first, "db01")));

        // when the same run calls the stage again (its ClientToken for db01 was used by the dead instance)
        JsonNode after = StageHarness.invoke(handler, state);
        JsonNode settled = StageHarness.invoke(handler, state);

        // then a new db01 runs, the others are untouched, and nothing more is launched on the next call
        assertThat(id(after, "db01")).isNotEqualTo(id(first, "db01"));
        assertThat(id(settled, "db01")).isEqualTo(id(after, "db01"));
        assertThat(instance(ec2, id(after, "db01")).state().nameAsString()).isEqualTo("running");
        assertThat(instance(ec2, id(first, "db01")).state().nameAsString()).isEqualTo("terminated");
        assertThat(instances(ec2, ENV, "db01", "pending", "running")).hasSize(1);
        assertThat(id(after, "mc01")).isEqualTo(id(first, "mc01"));
        assertThat(id(after, "rmq01")).isEqualTo(id(first, "rmq01"));
        assertThat(settled.get("ready").asBoolean()).isTrue();
    }

    @Test
    void provision_startsAStoppedBackend_insteadOfLaunchingAnother(LocalCloud cloud, Ec2Client ec2) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        var handler = new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction"));
        ObjectNode state = f.state();
        JsonNode first = StageHarness.invoke(handler, state);
        String mc01 = id(first, "mc01");
        ec2.stopInstances(b -> b.instanceIds(mc01));
        assertThat(instance(ec2, mc01).state().nameAsString()).isEqualTo("stopped");

        JsonNode restarted = StageHarness.invoke(handler, f.nextRun(state));

        assertThat(id(restarted, "mc01")).isEqualTo(mc01);
        assertThat(instance(ec2, mc01).state().nameAsString()).isEqualTo("running");
        assertThat(instances(ec2, ENV, "mc01")).hasSize(1);
        assertThat(StageHarness.invoke(handler, state).get("ready").asBoolean()).isTrue();
    }

    @Test
    void provision_resolvesEachFormOfImageReference(LocalCloud cloud, Ec2Client ec2, SsmClient ssm) {
        // given db01 named by resolve:ssm: and mc01 by a plain AMI id
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        String al2023 = ssm.getParameter(b -> b.name(AL2023)).parameter().value();
        ObjectNode state = f.state();
        ((ObjectNode) state.at("/spec/instances/db")).put("ami", "resolve:ssm:" + AL2023);
        ((ObjectNode) state.at("/spec/instances/mc")).put("ami", al2023);

        JsonNode out = StageHarness.invoke(new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction")), state);

        assertThat(instance(ec2, id(out, "db01")).imageId()).isEqualTo(al2023);
        assertThat(instance(ec2, id(out, "mc01")).imageId()).isEqualTo(al2023);
    }

    @Test
    void provision_fails_whenTheImageParameterDoesNotExist(LocalCloud cloud, Ec2Client ec2) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        ObjectNode state = f.state();
        ((ObjectNode) state.at("/spec/instances/rmq")).put("ami", "/aws/service/no/such/image");

        assertThatThrownBy(() -> StageHarness.invoke(new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction")), state))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("/aws/service/no/such/image").hasMessageContaining("rmq01");
    }

    @Test
    void provision_fails_whenTheSecurityGroupsAreNotInTheState(LocalCloud cloud, Ec2Client ec2) {
        InstanceStageFixture f = InstanceStageFixture.create(cloud);
        ObjectNode state = f.state();
        state.remove("securityGroups");

        assertThatThrownBy(() -> StageHarness.invoke(new ProvisionBackendsHandler(f.zone().functionEnvironment(cloud, "ProvisionBackendsFunction")), state))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("securityGroups.backendGroupId");
        assertThat(instances(ec2, ENV, "db01")).isEmpty();
    }

    /** The field names of an object node, in order. */
    private static final class ImmutableNames {
        static List<String> of(JsonNode node) {
            List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }

    private static String id(JsonNode out, String host) {
        return out.at("/instances/" + host + "/instanceId").asText();
    }

    private static Volume rootVolume(Ec2Client ec2, Instance i) {
        String volumeId = i.blockDeviceMappings().stream()
                .filter(m -> m.deviceName().equals(i.rootDeviceName())).findFirst().orElseThrow().ebs().volumeId();
        return ec2.describeVolumes(b -> b.volumeIds(volumeId)).volumes().getFirst();
    }
}
