package dev.pipeline.cli.env;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.account.AccountReadiness;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.ResourceType;

import java.util.List;

/**
 * Locally, the example spec's VPC and subnets are placeholders: this makes (or finds, by its tag) a VPC with two
 * public and two app subnets in two zones, set up as the preflight requires (DNS support and hostnames on, public
 * subnets routed to an internet gateway, app subnets to a NAT gateway), as a user's account would have, and
 * points the spec at it. It also raises the local account's On-Demand vCPU quota above a new account's 5
 * ({@link AccountReadiness#vcpuQuota}), which the example needs.
 */
public final class DemoNetwork {
    static final String TAG = "pipeline:demo-network";

    private DemoNetwork() {}

    /** True when the spec's VPC does not exist in the local cloud. */
    public static boolean needed(Ec2Client ec2, ObjectNode spec) {
        String vpc = spec.path("network").path("vpcId").asText("");
        return vpc.isBlank() || ec2.describeVpcs(b -> b.filters(Filter.builder().name("vpc-id").values(vpc).build())).vpcs().isEmpty();
    }

    /** Points {@code spec} at the demo network, creating it on first use, and raises the vCPU quota; returns the VPC id. */
    public static String apply(Ec2Client ec2, ServiceQuotasClient quotas, ObjectNode spec) {
        AccountReadiness.vcpuQuota(quotas);
        String env = spec.path("name").asText("vprofile");
        Filter tag = Filter.builder().name("tag:" + TAG).values(env).build();
        var vpcs = ec2.describeVpcs(b -> b.filters(tag)).vpcs();
        String vpc;
        List<String> pub;
        List<String> app;
        if (!vpcs.isEmpty()) {
            vpc = vpcs.getFirst().vpcId();
            List<Subnet> subnets = ec2.describeSubnets(b -> b.filters(Filter.builder().name("vpc-id").values(vpc).build())).subnets();
            pub = subnets.stream().filter(s -> s.cidrBlock().startsWith("10.40.0.") || s.cidrBlock().startsWith("10.40.1.")).map(Subnet::subnetId).sorted().toList();
            app = subnets.stream().filter(s -> s.cidrBlock().startsWith("10.40.10.") || s.cidrBlock().startsWith("10.40.11.")).map(Subnet::subnetId).sorted().toList();
        } else {
            vpc = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16").tagSpecifications(tags(ResourceType.VPC, env))).vpc().vpcId();
            String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
            ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpc));
            pub = List.of(subnet(ec2, vpc, "10.40.0.0/24", "us-east-1a", env), subnet(ec2, vpc, "10.40.1.0/24", "us-east-1b", env));
            app = List.of(subnet(ec2, vpc, "10.40.10.0/24", "us-east-1a", env), subnet(ec2, vpc, "10.40.11.0/24", "us-east-1b", env));
            // what the preflight requires of a user's network: DNS attributes on, public subnets routed to the
            // internet gateway, app subnets to a NAT gateway (rmq01 installs its packages from the internet)
            AccountReadiness.network(ec2, vpc, igw, pub, app);
        }
        ObjectNode net = (ObjectNode) spec.get("network");
        net.put("vpcId", vpc);
        ArrayNode p = net.putArray("publicSubnets");
        pub.forEach(p::add);
        ArrayNode a = net.putArray("appSubnets");
        app.forEach(a::add);
        return vpc;
    }

    private static TagSpecification tags(ResourceType type, String env) {
        return TagSpecification.builder().resourceType(type).tags(Tag.builder().key(TAG).value(env).build(),
                Tag.builder().key("Name").value(env + "-demo-network").build()).build();
    }

    private static String subnet(Ec2Client ec2, String vpc, String cidr, String az, String env) {
        return ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(cidr).availabilityZone(az)
                .tagSpecifications(tags(ResourceType.SUBNET, env))).subnet().subnetId();
    }
}
