package dev.pipeline.spec;

import java.util.List;
import java.util.Objects;

/**
 * Where the environment lives and who may administer it. The VPC and subnets already exist (the pipeline does
 * not create networks); {@code adminCidr} is the only source allowed to reach instances directly.
 *
 * @param publicSubnets subnets for the internet-facing load balancer, in at least two Availability Zones
 * @param appSubnets    subnets for the instances (app servers and backends)
 * @param adminCidr     the operator's address range; never the whole internet
 * @param sshEnabled    open TCP 22 from {@code adminCidr}; off by default because SSM Session Manager needs no
 *                      open port
 */
public record Network(String vpcId, List<String> publicSubnets, List<String> appSubnets, String adminCidr,
                      boolean sshEnabled) {

    public Network {
        Objects.requireNonNull(vpcId, "vpcId");
        publicSubnets = List.copyOf(publicSubnets);
        appSubnets = List.copyOf(appSubnets);
        Objects.requireNonNull(adminCidr, "adminCidr");
    }

    /** Security group rules take IPv4 and IPv6 ranges in different fields ({@code CidrIp} vs {@code CidrIpv6}). */
    public boolean adminCidrIsIpv6() {
        return adminCidr.contains(":");
    }
}
