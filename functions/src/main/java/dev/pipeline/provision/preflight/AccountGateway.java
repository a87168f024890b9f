package dev.pipeline.provision.preflight;

import dev.pipeline.provision.preflight.AccountFacts.Quota;
import dev.pipeline.provision.preflight.AccountFacts.SubnetFacts;
import dev.pipeline.spec.AmiRef;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.servicequotas.model.NoSuchResourceException;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads, never writes, what {@link PreflightChecks} judges: the VPC's DNS attributes, the subnets' routes and
 * endpoints, the service-linked roles, the images, instance types and two Service Quotas with their usage.
 * Every call is a Describe/Get/List, granted to ValidateSpecFunction in template.yaml.
 */
public class AccountGateway {
    private final Ec2Client ec2;
    private final SsmClient ssm;
    private final IamClient iam;
    private final ServiceQuotasClient quotas;
    private final ElasticLoadBalancingV2Client elb;

    public AccountGateway(Ec2Client ec2, SsmClient ssm, IamClient iam, ServiceQuotasClient quotas, ElasticLoadBalancingV2Client elb) {
        this.ec2 = ec2;
        this.ssm = ssm;
        this.iam = iam;
        this.quotas = quotas;
        this.elb = elb;
    }

    /** The facts for {@code spec}, whose VPC is {@code vpcId} when it exists. */
    public AccountFacts read(EnvironmentSpec spec, Optional<String> vpcId) {
        boolean dnsSupport = true;
        boolean dnsHostnames = true;
        Map<String, SubnetFacts> subnets = new LinkedHashMap<>();
        Map<String, Set<String>> endpoints = new HashMap<>();
        if (vpcId.isPresent()) {
            String vpc = vpcId.get();
            dnsSupport = Boolean.TRUE.equals(ec2.describeVpcAttribute(b -> b.vpcId(vpc).attribute(VpcAttributeName.ENABLE_DNS_SUPPORT))
                    .enableDnsSupport().value());
            dnsHostnames = Boolean.TRUE.equals(ec2.describeVpcAttribute(b -> b.vpcId(vpc).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES))
                    .enableDnsHostnames().value());
            readNetwork(spec, vpc, subnets, endpoints);
        }
        return new AccountFacts(vpcId, dnsSupport, dnsHostnames, subnets, endpoints, serviceLinkedRoles(), images(spec),
                vcpus(spec), vcpuQuota(spec), loadBalancerQuota(spec));
    }

    private void readNetwork(EnvironmentSpec spec, String vpc, Map<String, SubnetFacts> subnets, Map<String, Set<String>> endpoints) {
        Set<String> ids = new LinkedHashSet<>(spec.network().publicSubnets());
        ids.addAll(spec.network().appSubnets());
        List<RouteTable> tables = ec2.describeRouteTablesPaginator(b -> b.filters(filter("vpc-id", vpc))).routeTables().stream().toList();
        RouteTable main = tables.stream().filter(t -> t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main())))
                .findFirst().orElse(null);
        List<VpcEndpoint> vpces = ec2.describeVpcEndpointsPaginator(b -> b.filters(filter("vpc-id", vpc))).vpcEndpoints().stream()
                .filter(e -> "available".equalsIgnoreCase(e.stateAsString())).toList();
        ec2.describeSubnetsPaginator(b -> b.filters(filter("subnet-id", List.copyOf(ids)))).subnets().stream()
                .filter(s -> vpc.equals(s.vpcId()))
                .forEach(s -> {
                    // a subnet without an explicit association uses the VPC's main route table (VPC User Guide, route tables)
                    RouteTable table = tables.stream().filter(t -> t.associations().stream()
                            .anyMatch(a -> s.subnetId().equals(a.subnetId()))).findFirst().orElse(main);
                    Optional<String> route = table == null ? Optional.empty() : table.routes().stream()
                            .filter(r -> "0.0.0.0/0".equals(r.destinationCidrBlock()))
                            .filter(r -> !"blackhole".equalsIgnoreCase(r.stateAsString()))
                            .map(r -> r.natGatewayId() != null ? r.natGatewayId()
                                    : r.gatewayId() != null ? r.gatewayId()
                                    : Optional.ofNullable(r.transitGatewayId()).orElse(r.networkInterfaceId()))
                            .filter(java.util.Objects::nonNull).findFirst();
                    subnets.put(s.subnetId(), new SubnetFacts(s.subnetId(), s.availabilityZone(), route,
                            Boolean.TRUE.equals(s.mapPublicIpOnLaunch())));
                    Set<String> served = new LinkedHashSet<>();
                    for (VpcEndpoint e : vpces) {
                        // a gateway endpoint (S3) serves the subnets whose route table it is attached to; an interface
                        // endpoint with private DNS answers the service's own name for the whole VPC
                        boolean gateway = "Gateway".equalsIgnoreCase(e.vpcEndpointTypeAsString());
                        if (!gateway || (table != null && e.routeTableIds().contains(table.routeTableId()))) {
                            served.add(e.serviceName());
                        }
                    }
                    endpoints.put(s.subnetId(), served);
                });
    }

    private Set<String> serviceLinkedRoles() {
        Set<String> found = new LinkedHashSet<>();
        for (String role : PreflightChecks.SERVICE_LINKED_ROLES.values()) {
            try {
                iam.getRole(b -> b.roleName(role));
                found.add(role);
            } catch (NoSuchEntityException e) {
                // absent: the check decides whether the pipeline may create it
            }
        }
        return found;
    }

    /** Why each image reference does not resolve to an available AMI (absent when it does). */
    private Map<String, String> images(EnvironmentSpec spec) {
        Map<String, String> problems = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Role role : Role.values()) {
            AmiRef ref = spec.instance(role).ami();
            if (!seen.add(ref.value())) continue;
            String imageId = ref.value();
            if (ref.ssmParameter().isPresent()) {
                String name = ref.ssmParameter().get();
                try {
                    imageId = ssm.getParameter(b -> b.name(name)).parameter().value();
                } catch (ParameterNotFoundException | ParameterVersionNotFoundException e) {
                    problems.put(ref.value(), "the SSM parameter " + name + " does not exist in this region: name an "
                            + "/aws/service/ public parameter of this region or an AMI id");
                    continue;
                }
                catch (software.amazon.awssdk.services.ssm.model.SsmException e) {
                    if (e.awsErrorDetails() == null || !"AccessDeniedException".equals(e.awsErrorDetails().errorCode())) throw e;
                    // template.yaml lets the pipeline read /aws/service/* only
                    problems.put(ref.value(), "the pipeline may not read the SSM parameter " + name + ": use an /aws/service/ "
                            + "public parameter or an AMI id, or grant ssm:GetParameter on it");
                    continue;
                }
            }
            String id = imageId;
            List<software.amazon.awssdk.services.ec2.model.Image> images;
            try {
                images = ec2.describeImages(b -> b.imageIds(id)).images();
            } catch (Ec2Exception e) {
                if (e.awsErrorDetails() == null || !e.awsErrorDetails().errorCode().startsWith("InvalidAMIID")) throw e;
                images = List.of();
            }
            if (images.isEmpty()) {
                problems.put(ref.value(), "the image " + id + (id.equals(ref.value()) ? "" : " (from " + ref.value() + ")")
                        + " does not exist in this region or is not shared with this account: name an AMI of this region");
            } else if (!"available".equals(images.getFirst().stateAsString())) {
                problems.put(ref.value(), "the image " + id + " is " + images.getFirst().stateAsString() + ", not available");
            }
        }
        return problems;
    }

    /** vCPUs of each type the spec names; a type unknown in the region is left out. */
    private Map<String, Integer> vcpus(EnvironmentSpec spec) {
        Set<String> types = new LinkedHashSet<>();
        for (Role role : Role.values()) types.add(spec.instance(role).instanceType());
        return vcpus(types);
    }

    private Map<String, Integer> vcpus(Set<String> types) {
        Map<String, Integer> found = new HashMap<>();
        for (String type : types) {
            try { // one by one: an unknown type fails the whole call (InvalidInstanceType)
                ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings(type)).instanceTypes()
                        .forEach(t -> found.put(t.instanceTypeAsString(), t.vCpuInfo().defaultVCpus()));
            } catch (Ec2Exception e) {
                if (e.awsErrorDetails() == null || !e.awsErrorDetails().errorCode().startsWith("InvalidInstanceType")) throw e;
            }
        }
        return found;
    }

    private Quota vcpuQuota(EnvironmentSpec spec) {
        List<Instance> others = ec2.describeInstancesPaginator(b -> b.filters(filter("instance-state-name", List.of("pending", "running"))))
                .reservations().stream().flatMap(r -> r.instances().stream())
                .filter(i -> i.instanceLifecycle() == null) // Spot instances count against another quota
                .filter(i -> i.tags().stream().noneMatch(t -> EnvironmentSpec.TAG_ENVIRONMENT.equals(t.key()) && spec.name().equals(t.value())))
                .filter(i -> PreflightChecks.standard(i.instanceTypeAsString()))
                .toList();
        Set<String> types = new LinkedHashSet<>();
        others.forEach(i -> types.add(i.instanceTypeAsString()));
        Map<String, Integer> perType = vcpus(types);
        double inUse = others.stream().mapToInt(i -> perType.getOrDefault(i.instanceTypeAsString(), 0)).sum();
        return quota("ec2", PreflightChecks.VCPU_QUOTA, inUse);
    }

    private Quota loadBalancerQuota(EnvironmentSpec spec) {
        double inUse = elb.describeLoadBalancersPaginator(b -> {}).loadBalancers().stream()
                .filter(lb -> "application".equals(lb.typeAsString()))
                .filter(lb -> !spec.loadBalancerName().equals(lb.loadBalancerName()))
                .count();
        return quota("elasticloadbalancing", PreflightChecks.ALB_QUOTA, inUse);
    }

    /**
     * The applied value (GetServiceQuota), or AWS's default when no applied value is available: "If the applied
     * quota value is not available for a quota, the quota is not retrieved" (Service Quotas API, GetServiceQuota).
     */
    private Quota quota(String service, String code, double inUse) {
        ServiceQuota q;
        String source;
        try {
            q = quotas.getServiceQuota(b -> b.serviceCode(service).quotaCode(code)).quota();
            source = "applied";
        } catch (NoSuchResourceException e) {
            q = quotas.getAWSDefaultServiceQuota(b -> b.serviceCode(service).quotaCode(code)).quota();
            source = "AWS default";
        }
        return new Quota(code, q.quotaName(), q.value(), inUse, source);
    }

    private static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    private static Filter filter(String name, List<String> values) {
        return Filter.builder().name(name).values(values).build();
    }
}
