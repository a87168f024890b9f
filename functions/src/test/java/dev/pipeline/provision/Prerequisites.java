package dev.pipeline.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.List;

/**
 * What earlier stages (other engineers') leave behind, built with the SDK for the load balancer, fleet and
 * verify ITs: the three security groups and AMIs imaged from a running instance, tagged as the pipeline tags them.
 */
public final class Prerequisites {
    private Prerequisites() {}

    /** {@code $.securityGroups}: three empty groups in the landing zone's VPC (rules are not these stages' business). */
    public static ObjectNode securityGroups(LocalCloud cloud, LandingZone zone) {
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        ObjectNode out = JsonHandler.JSON.createObjectNode();
        out.put("albGroupId", group(ec2, zone, "alb-sg"));
        out.put("appGroupId", group(ec2, zone, "app-sg"));
        out.put("backendGroupId", group(ec2, zone, "backend-sg"));
        return out;
    }

    /** An AMI made the way BakeGoldenImage makes one: an instance from the base image, imaged, then terminated. */
    public static String image(LocalCloud cloud, LandingZone zone, String component, String name) {
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        String base = cloud.client(SsmClient.class).getParameter(b -> b.name(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")).parameter().value();
        String instance = ec2.runInstances(b -> b.imageId(base).instanceType("t3.small").minCount(1).maxCount(1)
                .subnetId(zone.appSubnets().getFirst())).instances().getFirst().instanceId();
        String image = ec2.createImage(b -> b.instanceId(instance).name(name).noReboot(true)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.IMAGE).tags(
                        tag("pipeline:environment", LandingZone.ENVIRONMENT), tag("pipeline:component", component),
                        tag("Name", name)).build()))
                .imageId();
        ec2.terminateInstances(b -> b.instanceIds(instance));
        return image;
    }

    public static String goldenImage(LocalCloud cloud, LandingZone zone) {
        return image(cloud, zone, "golden-ami", LandingZone.ENVIRONMENT + "-golden-" + System.nanoTime());
    }

    /** The state after the stages before ProvisionLoadBalancer: spec, run, security groups. */
    public static ObjectNode stateWithSecurityGroups(LocalCloud cloud, LandingZone zone) {
        return stateWithSecurityGroups(cloud, zone, zone.spec());
    }

    public static ObjectNode stateWithSecurityGroups(LocalCloud cloud, LandingZone zone, JsonNode spec) {
        ObjectNode state = StageHarness.state(spec);
        state.set("securityGroups", securityGroups(cloud, zone));
        return state;
    }

    private static String group(Ec2Client ec2, LandingZone zone, String component) {
        String name = LandingZone.ENVIRONMENT + "-" + component;
        return ec2.createSecurityGroup(b -> b.groupName(name).description(name).vpcId(zone.vpcId())
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP).tags(
                        tag("pipeline:environment", LandingZone.ENVIRONMENT), tag("pipeline:component", component),
                        tag("Name", name)).build()))
                .groupId();
    }

    private static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    public static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
