package dev.pipeline.local.account;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;

import java.util.List;

/**
 * Sets a local account up the way the preflight (ValidateSpec) requires of a real one, for the demo network, the
 * benchmarks and the tests' landing zone: a VPC with DNS support and hostnames on, public subnets routed to an
 * internet gateway, app subnets routed to a NAT gateway in the first public subnet, and an On-Demand vCPU quota
 * raised above AWS's default of 5 (a new account's), which the example (3 backends, app01, a fleet of up to 4
 * and a bake builder, 2 vCPUs each) exceeds. Each step is what a user does once in their own account.
 */
public final class AccountReadiness {
    /** What the local account asks for: enough for the example's 18 vCPUs and a second environment. */
    public static final double LOCAL_VCPU_QUOTA = 64;

    private AccountReadiness() {}

    /** DNS attributes and routes for a VPC whose internet gateway is attached; returns the NAT gateway id. */
    public static String network(Ec2Client ec2, String vpc, String igw, List<String> publicSubnets, List<String> appSubnets) {
        // one attribute per request (ModifyVpcAttribute), and DNS hostnames only with DNS support on
        ec2.modifyVpcAttribute(b -> b.vpcId(vpc).enableDnsSupport(v -> v.value(true)));
        ec2.modifyVpcAttribute(b -> b.vpcId(vpc).enableDnsHostnames(v -> v.value(true)));
        String pub = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(b -> b.routeTableId(pub).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        publicSubnets.forEach(s -> ec2.associateRouteTable(b -> b.routeTableId(pub).subnetId(s)));
        String eip = ec2.allocateAddress(b -> b.domain(DomainType.VPC)).allocationId();
        String nat = ec2.createNatGateway(b -> b.subnetId(publicSubnets.getFirst()).allocationId(eip)).natGateway().natGatewayId();
        String app = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(b -> b.routeTableId(app).destinationCidrBlock("0.0.0.0/0").natGatewayId(nat));
        appSubnets.forEach(s -> ec2.associateRouteTable(b -> b.routeTableId(app).subnetId(s)));
        return nat;
    }

    /** Raises the account's L-1216C47A to {@link #LOCAL_VCPU_QUOTA} unless it is already that high. */
    public static void vcpuQuota(ServiceQuotasClient quotas) {
        vcpuQuota(quotas, LOCAL_VCPU_QUOTA);
    }

    /** Raises the account's L-1216C47A to {@code vcpus} unless it is already that high. */
    public static void vcpuQuota(ServiceQuotasClient quotas, double vcpus) {
        double current = quotas.getServiceQuota(b -> b.serviceCode("ec2").quotaCode("L-1216C47A")).quota().value();
        if (current < vcpus) {
            quotas.requestServiceQuotaIncrease(b -> b.serviceCode("ec2").quotaCode("L-1216C47A").desiredValue(vcpus));
        }
    }
}
