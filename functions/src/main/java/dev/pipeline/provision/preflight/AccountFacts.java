package dev.pipeline.provision.preflight;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the preflight learned about the account, for one spec: read by {@link AccountGateway}, judged by
 * {@link PreflightChecks}. Pure data, so every check can be unit-tested with an account that fails it.
 *
 * @param vpcId             the spec's VPC, when it exists (empty: its absence is reported by the reference checks)
 * @param dnsSupport        the VPC's {@code enableDnsSupport}
 * @param dnsHostnames      the VPC's {@code enableDnsHostnames}
 * @param subnets           the spec's subnets that exist in the VPC, by id
 * @param endpointServices  the service names of the VPC's available endpoints that serve the given subnet (for a
 *                          gateway endpoint: its route tables; interface endpoints: the whole VPC), by subnet id
 * @param serviceLinkedRoles the service-linked role names that exist
 * @param images            for each image reference of the spec, why it does not resolve (absent when it does)
 * @param vcpusByType       vCPUs of each instance type the spec names (absent: unknown type)
 */
public record AccountFacts(Optional<String> vpcId, boolean dnsSupport, boolean dnsHostnames,
                           Map<String, SubnetFacts> subnets, Map<String, Set<String>> endpointServices,
                           Set<String> serviceLinkedRoles, Map<String, String> images, Map<String, Integer> vcpusByType,
                           Quota vcpus, Quota loadBalancers) {

    public AccountFacts {
        subnets = Map.copyOf(subnets);
        endpointServices = Map.copyOf(endpointServices);
        serviceLinkedRoles = Set.copyOf(serviceLinkedRoles);
        images = Map.copyOf(images);
        vcpusByType = Map.copyOf(vcpusByType);
    }

    /**
     * One subnet: where its default route (0.0.0.0/0) goes, from its own route table or the VPC's main one.
     *
     * @param defaultRoute      {@code igw-...}, {@code nat-...}, another target id, or empty: no default route
     * @param mapPublicIpOnLaunch instances launched in it get a public IPv4 address
     */
    public record SubnetFacts(String subnetId, String availabilityZone, Optional<String> defaultRoute,
                              boolean mapPublicIpOnLaunch) {
        public boolean routesToInternetGateway() { return defaultRoute.filter(r -> r.startsWith("igw-")).isPresent(); }

        public boolean routesToNat() { return defaultRoute.filter(r -> r.startsWith("nat-")).isPresent(); }

        /** Instances here reach the internet: through a NAT gateway, or an internet gateway with a public address. */
        public boolean reachesInternet() { return routesToNat() || (routesToInternetGateway() && mapPublicIpOnLaunch); }
    }

    /**
     * A Service Quotas value and what the account already uses of it, leaving out what belongs to this environment
     * (a re-run replaces its own resources, it does not add to them).
     *
     * @param source "applied" (GetServiceQuota) or "AWS default" (GetAWSDefaultServiceQuota), for the message
     */
    public record Quota(String code, String name, double value, double inUse, String source) {}
}
