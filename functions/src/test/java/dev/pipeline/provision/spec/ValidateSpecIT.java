package dev.pipeline.provision.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.spec.EnvironmentSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@ExtendWith(LocalCloudExtension.class)
class ValidateSpecIT {

    @Test
    void validSpec_passes_andComesBackWithEveryDefaultWrittenOut(LocalCloud cloud) {
        // given the example spec on the landing zone, with the optional sections left out
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        spec.remove(List.of("privateZone", "instances", "fleet", "loadBalancer", "deployment", "tags"));

        // when
        JsonNode out = StageHarness.invoke(handler(zone, cloud), StageHarness.state(spec));

        // then the seed's defaults are filled in, and the result is a spec that parses to the same thing
        assertThat(out.path("privateZone").asText()).isEqualTo("vprofile.in");
        assertThat(out.path("instances").path("db").path("hostname").asText()).isEqualTo("db01");
        assertThat(out.path("fleet").path("desired").asInt()).isEqualTo(2);
        assertThat(out.path("loadBalancer").path("healthCheck").path("path").asText()).isEqualTo("/login");
        assertThat(out.path("network").path("vpcId").asText()).isEqualTo(zone.vpcId());
        assertThat(out).isEqualTo(EnvironmentSpecs.toTree(EnvironmentSpecs.fromTree(out)));
    }

    @Test
    void nonexistentVpc_isReported_andNothingIsCreated(LocalCloud cloud, Ec2Client ec2, SsmClient ssm) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        network(spec).put("vpcId", "vpc-0123456789abcdef0");

        StageFailedException e = fails(zone, cloud, spec);

        assertThat(e).hasMessageContaining("network.vpcId: VPC vpc-0123456789abcdef0 does not exist in us-east-1");
        assertThat(e.getMessage()).doesNotContain("publicSubnets[", "appSubnets[");
        assertNothingCreated(ec2, ssm, zone);
    }

    @Test
    void subnetOfAnotherVpc_isReportedAtItsPath(LocalCloud cloud, Ec2Client ec2, SsmClient ssm) {
        LandingZone zone = LandingZone.create(cloud);
        String otherVpc = ec2.createVpc(b -> b.cidrBlock("10.99.0.0/16")).vpc().vpcId();
        String stranger = ec2.createSubnet(b -> b.vpcId(otherVpc).cidrBlock("10.99.1.0/24").availabilityZone("us-east-1b"))
                .subnet().subnetId();
        ObjectNode spec = zone.spec();
        ((ArrayNode) network(spec).get("appSubnets")).set(1, stranger);

        StageFailedException e = fails(zone, cloud, spec);

        assertThat(e).hasMessageContaining("network.appSubnets[1]: subnet " + stranger + " is in " + otherVpc
                + ", not in " + zone.vpcId());
        assertNothingCreated(ec2, ssm, zone);
    }

    @Test
    void publicSubnetsInOneZone_areReported(LocalCloud cloud, Ec2Client ec2, SsmClient ssm) {
        LandingZone zone = LandingZone.create(cloud);
        String sameZone = ec2.createSubnet(b -> b.vpcId(zone.vpcId()).cidrBlock("10.40.2.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        ObjectNode spec = zone.spec();
        ((ArrayNode) network(spec).get("publicSubnets")).set(1, sameZone);

        StageFailedException e = fails(zone, cloud, spec);

        assertThat(e).hasMessageContaining("network.publicSubnets: all in one Availability Zone (us-east-1a)");
        assertNothingCreated(ec2, ssm, zone);
    }

    @Test
    void everyProblem_isListedInOneMessage_formatAndAccountAlike(LocalCloud cloud) {
        // given a spec with a rule problem, a missing subnet and another region
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        spec.put("region", "eu-west-1");
        spec.putObject("fleet").put("min", 5).put("desired", 2).put("max", 4);
        ((ArrayNode) network(spec).get("appSubnets")).set(0, "subnet-0123456789abcdef9");

        StageFailedException e = fails(zone, cloud, spec);

        assertThat(e.getMessage()).contains("fleet.", "region: the spec says eu-west-1",
                "network.appSubnets[0]: subnet subnet-0123456789abcdef9 does not exist");
        assertThat(e.getMessage()).startsWith("environment spec has ");
    }

    private static StageFailedException fails(LandingZone zone, LocalCloud cloud, ObjectNode spec) {
        return catchThrowableOfType(StageFailedException.class,
                () -> StageHarness.invoke(handler(zone, cloud), StageHarness.state(spec)));
    }

    private static ValidateSpecHandler handler(LandingZone zone, LocalCloud cloud) {
        return new ValidateSpecHandler(zone.functionEnvironment(cloud, "ValidateSpecFunction"));
    }

    private static ObjectNode network(ObjectNode spec) {
        return (ObjectNode) spec.get("network");
    }

    private static void assertNothingCreated(Ec2Client ec2, SsmClient ssm, LandingZone zone) {
        assertThat(ec2.describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(zone.vpcId()))).securityGroups())
                .extracting(g -> g.groupName()).containsExactly("default");
        assertThat(ec2.describeInstances().reservations()).isEmpty();
        // the preflight reads the AMI's public parameter, after which moto lists its /aws/service/ ones: ours are /pipeline/
        assertThat(ssm.describeParameters().parameters()).noneMatch(p -> p.name().startsWith("/pipeline/"));
    }
}
