package dev.pipeline.provision.preflight;

import dev.pipeline.provision.preflight.AccountFacts.Quota;
import dev.pipeline.provision.preflight.AccountFacts.SubnetFacts;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.pipeline.spec.Problem;

/**
 * Whether an account can take a spec: the set-up that AWS needs and nothing in the workflows creates. Pure (the
 * facts are read by {@link AccountGateway}); each problem names the field or resource and what to change. The
 * AWS behaviour each rule relies on is cited next to it.
 */
public final class PreflightChecks {

    /**
     * Service-linked roles the provisioning needs, by the service that uses them. Elastic Load Balancing: "creates
     * this role for you when you create a load balancer or a target group" if the caller may
     * (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html). Auto
     * Scaling: "uses a service-linked role named AWSServiceRoleForAutoScaling, which it creates if it does not
     * exist" (CreateAutoScalingGroup ServiceLinkedRoleARN, Auto Scaling API reference).
     */
    public static final Map<String, String> SERVICE_LINKED_ROLES = Map.of(
            "elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing",
            "autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling");

    /** Service Quotas: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", counted in vCPUs. */
    public static final String VCPU_QUOTA = "L-1216C47A";
    /** Service Quotas: "Application Load Balancers per Region" (default 50, load-balancer-limits.html). */
    public static final String ALB_QUOTA = "L-53DA6B97";
    /** The instance families L-1216C47A counts (the quota's name); others have quotas of their own. */
    static final String STANDARD_FAMILIES = "acdhimrtz";

    /** Names AWS limits (ELB: 32 characters; Auto Scaling group: 255; launch template: 128; security group: 255). */
    static final int ELB_NAME_MAX = 32;
    static final int ASG_NAME_MAX = 255;
    static final int LAUNCH_TEMPLATE_NAME_MAX = 128;
    static final int SECURITY_GROUP_NAME_MAX = 255;

    private PreflightChecks() {}

    /**
     * @param creatableRoles services whose service-linked role the stack's functions may create
     *                       ({@code iam:CreateServiceLinkedRole} granted in template.yaml)
     */
    public static List<Problem> problems(EnvironmentSpec spec, AccountFacts facts, String region, Set<String> creatableRoles) {
        List<Problem> problems = new ArrayList<>();
        dns(facts, problems);
        publicSubnets(spec, facts, problems);
        appSubnets(spec, facts, region, problems);
        serviceLinkedRoles(facts, creatableRoles, problems);
        images(spec, facts, problems);
        vcpus(spec, facts, problems);
        loadBalancers(facts, problems);
        problems.addAll(names(spec));
        return problems;
    }

    /**
     * Route 53: "To use private hosted zones, you must set the following Amazon VPC settings to true:
     * enableDnsHostnames, enableDnsSupport" (Route53 DeveloperGuide, hosted-zone-private-considerations.html).
     * Without them db01/mc01/rmq01 do not resolve while provisioning reports success.
     */
    static void dns(AccountFacts facts, List<Problem> problems) {
        facts.vpcId().ifPresent(vpc -> {
            if (!facts.dnsSupport()) {
                problems.add(new Problem("network.vpcId", "VPC " + vpc + " has enableDnsSupport off, so the private zone's "
                        + "names (db01, mc01, rmq01) resolve nowhere: aws ec2 modify-vpc-attribute --vpc-id " + vpc
                        + " --enable-dns-support"));
            }
            if (!facts.dnsHostnames()) {
                problems.add(new Problem("network.vpcId", "VPC " + vpc + " has enableDnsHostnames off; private hosted zones "
                        + "need it on, or the app cannot find db01, mc01 and rmq01: aws ec2 modify-vpc-attribute --vpc-id "
                        + vpc + " --enable-dns-hostnames" + (facts.dnsSupport() ? "" : " (after --enable-dns-support)")));
            }
        });
    }

    /**
     * An internet-facing load balancer needs public subnets in at least two Availability Zones (the reference
     * checks count zones); a subnet is public when its route table sends 0.0.0.0/0 to an internet gateway.
     */
    static void publicSubnets(EnvironmentSpec spec, AccountFacts facts, List<Problem> problems) {
        List<String> ids = spec.network().publicSubnets();
        Set<String> zones = new TreeSet<>();
        boolean allKnown = true;
        for (int i = 0; i < ids.size(); i++) {
            SubnetFacts s = facts.subnets().get(ids.get(i));
            if (s == null) { allKnown = false; continue; } // missing subnets are reported by the reference checks
            if (s.routesToInternetGateway()) {
                zones.add(s.availabilityZone());
            } else {
                problems.add(new Problem("network.publicSubnets[" + i + "]", "subnet " + s.subnetId() + " has no route to "
                        + "an internet gateway (0.0.0.0/0 -> igw-...; it has " + s.defaultRoute().orElse("no default route")
                        + "), so an internet-facing load balancer cannot be reached there: associate a route table with "
                        + "that route, or name a public subnet"));
            }
        }
        Set<String> allZones = new TreeSet<>();
        ids.stream().map(facts.subnets()::get).filter(java.util.Objects::nonNull).forEach(s -> allZones.add(s.availabilityZone()));
        if (allKnown && allZones.size() >= 2 && zones.size() < 2 && zones.size() != allZones.size()) {
            problems.add(new Problem("network.publicSubnets", "public subnets with a route to an internet gateway are in "
                    + zones.size() + " Availability Zone(s); the load balancer needs at least 2"));
        }
    }

    /**
     * App subnets: the boot scripts download from S3 and read SSM parameters, and the bake uses Run Command, so the
     * instances need a way to S3 and SSM: a NAT gateway route, an internet gateway route with public IPs on launch,
     * or VPC endpoints (S3, and ssm, ssmmessages and ec2messages for Systems Manager: "Use VPC endpoints to improve
     * the security of EC2 instances", Systems Manager User Guide, setup-create-vpc.html). rmq01's packages come from
     * yum.rabbitmq.com and github.com, which no endpoint reaches: its subnet needs the internet.
     */
    static void appSubnets(EnvironmentSpec spec, AccountFacts facts, String region, List<Problem> problems) {
        List<String> ids = spec.network().appSubnets();
        int rmqIndex = ids.isEmpty() ? -1 : backendIndex(Role.RMQ) % ids.size();
        for (int i = 0; i < ids.size(); i++) {
            SubnetFacts s = facts.subnets().get(ids.get(i));
            if (s == null) continue;
            Set<String> endpoints = facts.endpointServices().getOrDefault(s.subnetId(), Set.of());
            String prefix = "com.amazonaws." + region + ".";
            List<String> missing = new ArrayList<>();
            if (!s.reachesInternet()) {
                for (String svc : List.of("s3", "ssm", "ssmmessages", "ec2messages")) {
                    if (!endpoints.contains(prefix + svc)) missing.add(svc);
                }
            }
            String path = "network.appSubnets[" + i + "]";
            String route = s.routesToInternetGateway() && !s.mapPublicIpOnLaunch()
                    ? "its default route goes to " + s.defaultRoute().orElseThrow() + " but it does not give instances public IPs"
                    : "it has " + s.defaultRoute().map(r -> "a default route to " + r).orElse("no default route");
            if (!missing.isEmpty()) {
                problems.add(new Problem(path, "instances in subnet " + s.subnetId() + " cannot reach S3 and Systems Manager ("
                        + route + ", and no VPC endpoint for " + String.join(", ", missing) + "): the boot scripts download "
                        + "from S3 and the bake runs through Run Command; add a route 0.0.0.0/0 to a NAT gateway, or enable "
                        + "public IPs on launch in a subnet routed to an internet gateway, or create VPC endpoints for S3 "
                        + "(gateway) and ssm, ssmmessages, ec2messages (interface)"));
            } else if (i == rmqIndex && !s.reachesInternet()) {
                problems.add(new Problem(path, "rmq01 is placed in subnet " + s.subnetId() + ", which does not reach the "
                        + "internet (" + route + "): its boot script installs Erlang and RabbitMQ from yum1/yum2.rabbitmq.com "
                        + "and github.com, which no VPC endpoint serves; add a route 0.0.0.0/0 to a NAT gateway"));
            }
        }
    }

    static void serviceLinkedRoles(AccountFacts facts, Set<String> creatableRoles, List<Problem> problems) {
        new java.util.TreeMap<>(SERVICE_LINKED_ROLES).forEach((service, role) -> {
            if (!facts.serviceLinkedRoles().contains(role) && !creatableRoles.contains(service)) {
                problems.add(new Problem("$", "the service-linked role " + role + " does not exist and the pipeline may not "
                        + "create it: create it once for the account: aws iam create-service-linked-role --aws-service-name "
                        + service));
            }
        });
    }

    static void images(EnvironmentSpec spec, AccountFacts facts, List<Problem> problems) {
        for (Role role : Role.values()) {
            String ref = spec.instance(role).ami().value();
            String why = facts.images().get(ref);
            if (why != null) problems.add(new Problem("instances." + role.key() + ".ami", why));
        }
    }

    /**
     * The most standard On-Demand vCPUs the environment runs at once: the three backends, app01 (the golden image's
     * builder), the fleet at its maximum and one bake builder during a deploy. Types outside the standard families
     * count against other quotas and are left out.
     */
    public static int vcpusNeeded(EnvironmentSpec spec, Map<String, Integer> vcpusByType) {
        Map<Role, Integer> count = new LinkedHashMap<>();
        count.put(Role.DB, 1);
        count.put(Role.MC, 1);
        count.put(Role.RMQ, 1);
        count.put(Role.APP, spec.fleet().max() + 2);
        int total = 0;
        for (var e : count.entrySet()) {
            String type = spec.instance(e.getKey()).instanceType();
            if (standard(type)) total += e.getValue() * vcpusByType.getOrDefault(type, 0);
        }
        return total;
    }

    static void vcpus(EnvironmentSpec spec, AccountFacts facts, List<Problem> problems) {
        boolean allKnown = true;
        for (Role role : Role.values()) {
            String type = spec.instance(role).instanceType();
            if (!facts.vcpusByType().containsKey(type)) {
                allKnown = false;
                problems.add(new Problem("instances." + role.key() + ".instanceType", "instance type " + type
                        + " is not offered in this region (DescribeInstanceTypes does not know it)"));
            }
        }
        Quota q = facts.vcpus();
        if (!allKnown || q == null) return;
        int needed = vcpusNeeded(spec, facts.vcpusByType());
        if (q.inUse() + needed > q.value()) {
            int desired = (int) Math.ceil(q.inUse() + needed);
            problems.add(new Problem("$", "the environment needs up to " + needed + " vCPUs of standard On-Demand instances "
                    + "(backends, app01, fleet.max " + spec.fleet().max() + " and a bake builder); other instances use "
                    + fmt(q.inUse()) + " of the " + q.source() + " quota of " + fmt(q.value()) + " (" + q.name() + ", " + q.code()
                    + "): request more: aws service-quotas request-service-quota-increase --service-code ec2 --quota-code "
                    + q.code() + " --desired-value " + desired + ", or lower fleet.max or the instance types"));
        }
    }

    static void loadBalancers(AccountFacts facts, List<Problem> problems) {
        Quota q = facts.loadBalancers();
        if (q != null && q.inUse() + 1 > q.value()) {
            problems.add(new Problem("$", "the environment needs 1 Application Load Balancer; the account has " + fmt(q.inUse())
                    + " of its " + q.source() + " quota of " + fmt(q.value()) + " (" + q.name() + ", " + q.code() + "): delete "
                    + "one, or request more: aws service-quotas request-service-quota-increase --service-code "
                    + "elasticloadbalancing --quota-code " + q.code() + " --desired-value " + (int) (q.value() + 1)));
        }
    }

    /** The names the stages create, against AWS's limits (mostly guaranteed by the spec rules; checked here once more). */
    static List<Problem> names(EnvironmentSpec spec) {
        List<Problem> problems = new ArrayList<>();
        limit(problems, "load balancer", spec.loadBalancerName(), ELB_NAME_MAX);
        limit(problems, "target group", spec.targetGroupName(), ELB_NAME_MAX);
        limit(problems, "Auto Scaling group", spec.resourceName("asg"), ASG_NAME_MAX);
        limit(problems, "launch template", spec.resourceName("launch-template"), LAUNCH_TEMPLATE_NAME_MAX);
        limit(problems, "security group", spec.resourceName("backend-sg"), SECURITY_GROUP_NAME_MAX);
        return problems;
    }

    private static void limit(List<Problem> problems, String what, String name, int max) {
        if (name.length() > max) {
            problems.add(new Problem("name", "the " + what + " name " + name + " has " + name.length() + " characters; AWS "
                    + "allows " + max + ": shorten the environment name"));
        }
    }

    static boolean standard(String instanceType) {
        return !instanceType.isEmpty() && STANDARD_FAMILIES.indexOf(Character.toLowerCase(instanceType.charAt(0))) >= 0;
    }

    /** Backends are spread over the app subnets in this order (ProvisionBackendsService). */
    static int backendIndex(Role role) {
        return dev.pipeline.provision.instances.Components.BACKENDS.indexOf(role);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
