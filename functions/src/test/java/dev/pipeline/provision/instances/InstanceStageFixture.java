package dev.pipeline.provision.instances;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * What the instance stages find in the workflow state and in AWS when they run: the landing zone, the three
 * security groups ProvisionSecurityGroups would have made, and the two SecureString parameters of
 * ProvisionSecrets, with values the tests look for in places they must never appear.
 */
record InstanceStageFixture(LandingZone zone, String albGroupId, String appGroupId, String backendGroupId,
                            String databaseParameter, String brokerParameter,
                            String databasePassword, String brokerPassword) {

    static InstanceStageFixture create(LocalCloud cloud) {
        LandingZone zone = LandingZone.create(cloud);
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        String alb = group(ec2, zone, "alb-sg");
        String app = group(ec2, zone, "app-sg");
        String backend = group(ec2, zone, "backend-sg");
        SsmClient ssm = cloud.client(SsmClient.class);
        String dbName = "/pipeline/" + LandingZone.ENVIRONMENT + "/database-password";
        String mqName = "/pipeline/" + LandingZone.ENVIRONMENT + "/broker-password";
        String dbValue = "Db-" + UUID.randomUUID();
        String mqValue = "Mq-" + UUID.randomUUID();
        ssm.putParameter(b -> b.name(dbName).type(ParameterType.SECURE_STRING).value(dbValue));
        ssm.putParameter(b -> b.name(mqName).type(ParameterType.SECURE_STRING).value(mqValue));
        return new InstanceStageFixture(zone, alb, app, backend, dbName, mqName, dbValue, mqValue);
    }

    /** A provisioning state as the state machine passes it at ProvisionBackends / ProvisionAppServer. */
    ObjectNode state() {
        ObjectNode state = StageHarness.state(zone.spec());
        state.putObject("securityGroups").put("albGroupId", albGroupId).put("appGroupId", appGroupId)
                .put("backendGroupId", backendGroupId);
        state.putObject("secrets").put("databasePasswordParameter", databaseParameter)
                .put("brokerPasswordParameter", brokerParameter);
        return state;
    }

    /** The same state under a new execution (a second provisioning run). */
    ObjectNode nextRun(ObjectNode state) {
        ObjectNode next = state.deepCopy();
        next.set("run", StageHarness.run("test-" + UUID.randomUUID()));
        return next;
    }

    static List<Instance> instances(Ec2Client ec2, String environment, String component, String... states) {
        return ec2.describeInstancesPaginator(b -> b.filters(
                        Filter.builder().name("tag:pipeline:environment").values(environment).build(),
                        Filter.builder().name("tag:pipeline:component").values(component).build(),
                        Filter.builder().name("instance-state-name").values(states.length == 0
                                ? new String[]{"pending", "running", "stopping", "stopped", "shutting-down", "terminated"}
                                : states).build()))
                .reservations().stream().flatMap(r -> r.instances().stream()).toList();
    }

    static Instance instance(Ec2Client ec2, String id) {
        return ec2.describeInstances(b -> b.instanceIds(id)).reservations().getFirst().instances().getFirst();
    }

    static String userData(Ec2Client ec2, String id) {
        String encoded = ec2.describeInstanceAttribute(b -> b.instanceId(id).attribute("userData")).userData().value();
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    private static String group(Ec2Client ec2, LandingZone zone, String component) {
        return ec2.createSecurityGroup(b -> b.groupName(LandingZone.ENVIRONMENT + "-" + component)
                .description(component).vpcId(zone.vpcId())).groupId();
    }
}
