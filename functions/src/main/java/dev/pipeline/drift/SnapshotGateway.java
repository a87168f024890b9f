package dev.pipeline.drift;

import dev.pipeline.provision.codedeploy.CodeDeployGateway;
import dev.pipeline.provision.codedeploy.DeploymentGroupNames;
import dev.pipeline.provision.codedeploy.DeploymentGroupView;
import dev.pipeline.provision.loadbalancer.HealthCheckSettings;
import dev.pipeline.provision.network.Peer;
import dev.pipeline.provision.network.SgRule;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Reads the actual environment in one pass: batched, filtered and paginated describe calls (one per resource type
 * where a batch call exists, about fifteen in all regardless of fleet size), each service on its own virtual
 * thread. A call denied by IAM makes only its own {@link Area} "not checked"; any other error fails the check.
 * Read-only: never changes anything.
 */
public final class SnapshotGateway {
    private final Ec2Client ec2;
    private final Route53Client route53;
    private final ElasticLoadBalancingV2Client elb;
    private final AutoScalingClient autoscaling;
    private final S3Client s3;
    private final dev.pipeline.provision.alarms.AlarmGateway alarms;
    private final CodeDeployGateway codeDeploy;

    public SnapshotGateway(Ec2Client ec2, Route53Client route53, ElasticLoadBalancingV2Client elb, AutoScalingClient autoscaling,
                           S3Client s3, dev.pipeline.provision.alarms.AlarmGateway alarms, CodeDeployGateway codeDeploy) {
        this.alarms = alarms;
        this.codeDeploy = codeDeploy;
        this.ec2 = ec2;
        this.route53 = route53;
        this.elb = elb;
        this.autoscaling = autoscaling;
        this.s3 = s3;
    }

    /** Everything the rules compare, read for the resources {@code want} names. */
    public Snapshot read(Desired want) {
        Map<Area, String> denied = new ConcurrentHashMap<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Map<String, Snapshot.SecurityGroup>> groups = pool.submit(() -> guard(Area.SECURITY_GROUPS, denied, Map.of(),
                    () -> securityGroups(want)));
            Future<Map<String, Snapshot.Instance>> instances = pool.submit(() -> guard(Area.INSTANCES, denied, Map.of(),
                    () -> instances(want.spec().name())));
            Future<Optional<Snapshot.LaunchTemplate>> lt = pool.submit(() -> guard(Area.LAUNCH_TEMPLATE, denied, Optional.empty(),
                    () -> launchTemplate(want.launchTemplateId())));
            Future<Optional<Snapshot.Zone>> zone = pool.submit(() -> guard(Area.DNS_ZONE, denied, Optional.empty(),
                    () -> zone(want.zoneId())));
            Map<String, Long> ttls = new ConcurrentHashMap<>();
            Future<Map<String, String>> records = pool.submit(() -> guard(Area.DNS_RECORDS, denied, Map.of(),
                    () -> records(want.zoneId(), ttls)));
            Future<Optional<Snapshot.TargetGroup>> tg = pool.submit(() -> guard(Area.TARGET_GROUP, denied, Optional.empty(),
                    () -> targetGroup(want.targetGroupArn())));
            Future<List<Snapshot.Listener>> listeners = pool.submit(() -> guard(Area.LISTENERS, denied, List.of(),
                    () -> listeners(want.loadBalancerArn())));
            Future<Optional<Snapshot.LoadBalancer>> lb = pool.submit(() -> guard(Area.LOAD_BALANCER, denied, Optional.empty(),
                    () -> loadBalancer(want.loadBalancerArn())));
            Future<Optional<AutoScalingGroup>> group = pool.submit(() -> guard(Area.FLEET, denied, Optional.empty(),
                    () -> group(want.groupName())));
            Future<Optional<Snapshot.Bucket>> bucket = pool.submit(() -> guard(Area.BUCKET, denied, Optional.empty(),
                    () -> bucket(want.bucket())));

            Future<Optional<Map<String, dev.pipeline.provision.alarms.AlarmDefinition>>> alarmsFound = pool.submit(() ->
                    guard(Area.ALARMS, denied, Optional.empty(), () -> alarms(want)));
            // Optional.of(found-or-not), or empty when denied
            Future<Optional<Optional<DeploymentGroupView>>> deploymentGroup = pool.submit(() -> guard(Area.CODEDEPLOY, denied,
                    Optional.empty(), () -> Optional.of(codeDeploy.findGroup(DeploymentGroupNames.application(want.spec()),
                            DeploymentGroupNames.group(want.spec())))));

            Optional<Snapshot.LaunchTemplate> template = get(lt);
            // the image depends on the template's default version: read after it, while the other services still run
            Optional<String> image = template.isEmpty() ? Optional.empty()
                    : guard(Area.IMAGE, denied, Optional.empty(), () -> imageState(template.get().imageId()));
            if (template.isEmpty() && denied.containsKey(Area.LAUNCH_TEMPLATE)) denied.put(Area.IMAGE, denied.get(Area.LAUNCH_TEMPLATE));
            Map<String, Snapshot.Instance> byId = get(instances);
            Snapshot snapshot = new Snapshot(get(groups), byId, get(zone), get(records), get(tg), get(listeners), get(lb),
                    get(group).map(g -> group(g, byId)), template, image, get(bucket), Map.copyOf(denied), Map.copyOf(ttls), get(alarmsFound));
            Optional<Optional<DeploymentGroupView>> found = get(deploymentGroup);
            return found.isEmpty() ? snapshot : snapshot.withDeploymentGroup(found.get());
        }
    }

    private Optional<Map<String, dev.pipeline.provision.alarms.AlarmDefinition>> alarms(Desired want) {
        List<String> names = want.alarms().stream().map(dev.pipeline.provision.alarms.AlarmDefinition::name).toList();
        if (names.isEmpty()) return Optional.empty();
        Map<String, dev.pipeline.provision.alarms.AlarmDefinition> found = new java.util.LinkedHashMap<>();
        alarms.find(names).forEach((name, view) -> found.put(name, view.definition()));
        return Optional.of(found);
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the environment", e);
        }
    }

    /** The read, or {@code denied} when IAM refuses it (the rest of the check goes on). */
    private static <T> T guard(Area area, Map<Area, String> denied, T fallback, Supplier<T> read) {
        try {
            return read.get();
        } catch (AwsServiceException e) {
            if (!isAccessDenied(e)) throw e;
            var d = e.awsErrorDetails();
            denied.put(area, d == null ? e.getMessage() : d.errorCode() + ": " + d.errorMessage());
            return fallback;
        }
    }

    /** EC2 says UnauthorizedOperation, the others AccessDenied(Exception); all with HTTP 403. */
    static boolean isAccessDenied(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.statusCode() == 403 || (code != null && (code.startsWith("AccessDenied") || code.equals("UnauthorizedOperation")));
    }

    // ------------------------------------------------------------------------------------------- EC2

    private Map<String, Snapshot.SecurityGroup> securityGroups(Desired want) {
        Collection<String> ids = want.groupIds().values();
        Map<String, String> names = new LinkedHashMap<>();
        // pages of 1000, the API's maximum: the default page size would cost a call per 100 (moto) or fewer (AWS) items
        ec2.describeSecurityGroupsPaginator(b -> b.maxResults(1000).filters(filter("vpc-id", List.of(want.spec().network().vpcId())),
                filter("group-id", ids))).securityGroups().forEach(g -> names.put(g.groupId(), g.groupName()));
        if (names.isEmpty()) return Map.of();
        Map<String, List<SgRule>> rules = new HashMap<>();
        names.keySet().forEach(id -> rules.put(id, new ArrayList<>()));
        ec2.describeSecurityGroupRulesPaginator(b -> b.maxResults(1000).filters(filter("group-id", names.keySet()))).securityGroupRules()
                .forEach(r -> rules.computeIfAbsent(r.groupId(), k -> new ArrayList<>()).add(rule(r)));
        Map<String, Snapshot.SecurityGroup> out = new HashMap<>();
        names.forEach((id, name) -> out.put(id, new Snapshot.SecurityGroup(id, name, rules.get(id))));
        return out;
    }

    private static SgRule rule(SecurityGroupRule r) {
        Peer peer;
        if (r.cidrIpv4() != null) peer = new Peer(Peer.Kind.IPV4, r.cidrIpv4());
        else if (r.cidrIpv6() != null) peer = new Peer(Peer.Kind.IPV6, r.cidrIpv6());
        else if (r.referencedGroupInfo() != null) peer = Peer.group(r.referencedGroupInfo().groupId());
        else peer = new Peer(Peer.Kind.PREFIX_LIST, String.valueOf(r.prefixListId()));
        return new SgRule(Boolean.TRUE.equals(r.isEgress()), r.ipProtocol(), r.fromPort() == null ? -1 : r.fromPort(),
                r.toPort() == null ? -1 : r.toPort(), peer, r.description());
    }

    /** Every instance of the environment in any state (stopped and terminated ones are findings), in one paged call. */
    private Map<String, Snapshot.Instance> instances(String environment) {
        Map<String, Snapshot.Instance> out = new HashMap<>();
        ec2.describeInstancesPaginator(b -> b.maxResults(1000).filters(filter("tag:pipeline:environment", List.of(environment))))
                .reservations().forEach(res -> res.instances().forEach(i -> out.put(i.instanceId(), new Snapshot.Instance(
                        i.instanceId(), tag(i.tags(), "pipeline:component"), i.state() == null ? null : i.state().nameAsString(),
                        i.instanceTypeAsString(), i.metadataOptions() == null ? null : i.metadataOptions().httpTokensAsString(),
                        i.privateIpAddress(), i.imageId()))));
        return out;
    }

    private Optional<Snapshot.LaunchTemplate> launchTemplate(String id) {
        if (id == null) return Optional.empty();
        List<LaunchTemplateVersion> versions;
        try {
            versions = ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(id).versions("$Default")).launchTemplateVersions();
        } catch (AwsServiceException e) {
            if (code(e).startsWith("InvalidLaunchTemplateId") || code(e).startsWith("InvalidLaunchTemplateName")) return Optional.empty();
            throw e;
        }
        if (versions.isEmpty()) return Optional.empty();
        LaunchTemplateVersion v = versions.getFirst();
        var data = v.launchTemplateData();
        List<LaunchTemplateBlockDeviceMapping> volumes = data.blockDeviceMappings().stream().filter(m -> m.ebs() != null).toList();
        String tokens = data.metadataOptions() == null || data.metadataOptions().httpTokensAsString() == null
                ? "optional" // unset means the AMI's default, which is optional for most images
                : data.metadataOptions().httpTokensAsString();
        return Optional.of(new Snapshot.LaunchTemplate(v.launchTemplateId(), v.versionNumber(), data.imageId(), tokens,
                volumes.stream().allMatch(m -> Boolean.TRUE.equals(m.ebs().encrypted())), volumes.size()));
    }

    private Optional<String> imageState(String imageId) {
        if (imageId == null) return Optional.empty();
        try {
            return ec2.describeImages(b -> b.imageIds(imageId)).images().stream().findFirst().map(i -> i.stateAsString());
        } catch (AwsServiceException e) {
            if (code(e).startsWith("InvalidAMIID")) return Optional.empty();
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------- Route 53

    private Optional<Snapshot.Zone> zone(String zoneId) {
        if (zoneId == null) return Optional.empty();
        GetHostedZoneResponse z;
        try {
            z = route53.getHostedZone(b -> b.id(zoneId));
        } catch (NoSuchHostedZoneException e) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot.Zone(zoneId, z.hostedZone().name(), z.vpCs().stream().map(v -> v.vpcId()).toList()));
    }

    /** The zone's A records, name → first value, over every page; their TTLs go to {@code ttls}. */
    private Map<String, String> records(String zoneId, Map<String, Long> ttls) {
        if (zoneId == null) return Map.of();
        Map<String, String> out = new HashMap<>();
        try {
            route53.listResourceRecordSetsPaginator(b -> b.hostedZoneId(zoneId)).resourceRecordSets().forEach(r -> {
                if (r.type() == RRType.A && !r.resourceRecords().isEmpty()) {
                    out.put(Desired.recordName(r.name()), r.resourceRecords().getFirst().value());
                    if (r.ttl() != null) ttls.put(Desired.recordName(r.name()), r.ttl());
                }
            });
        } catch (NoSuchHostedZoneException e) {
            return Map.of(); // the zone rule reports it
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- ELB

    private Optional<Snapshot.TargetGroup> targetGroup(String arn) {
        if (arn == null) return Optional.empty();
        try {
            var tg = elb.describeTargetGroups(b -> b.targetGroupArns(arn)).targetGroups().stream().findFirst();
            if (tg.isEmpty()) return Optional.empty();
            var t = tg.get();
            Map<String, String> attrs = new HashMap<>();
            elb.describeTargetGroupAttributes(b -> b.targetGroupArn(arn)).attributes().forEach(a -> attrs.put(a.key(), a.value()));
            var hc = new HealthCheckSettings(t.healthCheckProtocolAsString(), t.healthCheckPort(), t.healthCheckPath(),
                    orZero(t.healthCheckIntervalSeconds()), orZero(t.healthCheckTimeoutSeconds()), orZero(t.healthyThresholdCount()),
                    orZero(t.unhealthyThresholdCount()), t.matcher() == null ? null : t.matcher().httpCode());
            return Optional.of(new Snapshot.TargetGroup(arn, t.protocolAsString(), orZero(t.port()), hc, attrs));
        } catch (TargetGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    private List<Snapshot.Listener> listeners(String loadBalancerArn) {
        if (loadBalancerArn == null) return List.of();
        List<Snapshot.Listener> out = new ArrayList<>();
        try {
            elb.describeListenersPaginator(b -> b.loadBalancerArn(loadBalancerArn)).listeners().forEach(l -> {
                Action a = l.defaultActions().isEmpty() ? null : l.defaultActions().getFirst();
                List<String> targets = new ArrayList<>();
                if (a != null && a.targetGroupArn() != null) targets.add(a.targetGroupArn());
                else if (a != null && a.forwardConfig() != null) a.forwardConfig().targetGroups().forEach(t -> targets.add(t.targetGroupArn()));
                out.add(new Snapshot.Listener(l.listenerArn(), orZero(l.port()), l.protocolAsString(),
                        a == null ? "none" : a.typeAsString(), targets));
            });
        } catch (LoadBalancerNotFoundException e) {
            return List.of(); // the load balancer rule reports it
        }
        return out;
    }

    private Optional<Snapshot.LoadBalancer> loadBalancer(String arn) {
        if (arn == null) return Optional.empty();
        try {
            return elb.describeLoadBalancers(b -> b.loadBalancerArns(arn)).loadBalancers().stream().findFirst()
                    .map(l -> new Snapshot.LoadBalancer(arn, l.securityGroups()));
        } catch (LoadBalancerNotFoundException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------- Auto Scaling, S3

    private Optional<AutoScalingGroup> group(String name) {
        return autoscaling.describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups().stream().findFirst();
    }

    /** Member instances' images come from the one DescribeInstances above, not from a call per instance. */
    private static Snapshot.Group group(AutoScalingGroup g, Map<String, Snapshot.Instance> instances) {
        Map<String, String> images = new HashMap<>();
        g.instances().forEach(i -> {
            Snapshot.Instance known = instances.get(i.instanceId());
            if (known != null && known.imageId() != null) images.put(i.instanceId(), known.imageId());
        });
        var lt = g.launchTemplate() != null ? g.launchTemplate()
                : g.mixedInstancesPolicy() == null ? null : g.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification();
        return new Snapshot.Group(g.autoScalingGroupName(), orZero(g.minSize()), orZero(g.desiredCapacity()), orZero(g.maxSize()),
                g.targetGroupARNs(), g.healthCheckType(), lt == null ? null : lt.launchTemplateId(), lt == null ? null : lt.version(), images);
    }

    private Optional<Snapshot.Bucket> bucket(String name) {
        String versioning;
        try {
            versioning = s3.getBucketVersioning(b -> b.bucket(name)).statusAsString();
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            return Optional.empty();
        }
        String encryption = null;
        try {
            var rules = s3.getBucketEncryption(b -> b.bucket(name)).serverSideEncryptionConfiguration().rules();
            if (!rules.isEmpty() && rules.getFirst().applyServerSideEncryptionByDefault() != null) {
                encryption = rules.getFirst().applyServerSideEncryptionByDefault().sseAlgorithmAsString();
            }
        } catch (AwsServiceException e) {
            if (!code(e).equals("ServerSideEncryptionConfigurationNotFoundError")) throw e;
        }
        boolean blocked;
        try {
            PublicAccessBlockConfiguration c = s3.getPublicAccessBlock(b -> b.bucket(name)).publicAccessBlockConfiguration();
            blocked = Boolean.TRUE.equals(c.blockPublicAcls()) && Boolean.TRUE.equals(c.ignorePublicAcls())
                    && Boolean.TRUE.equals(c.blockPublicPolicy()) && Boolean.TRUE.equals(c.restrictPublicBuckets());
        } catch (AwsServiceException e) {
            if (!code(e).equals("NoSuchPublicAccessBlockConfiguration")) throw e;
            blocked = false;
        }
        return Optional.of(new Snapshot.Bucket(name, versioning == null ? "Never enabled" : versioning, encryption, blocked));
    }

    // -------------------------------------------------------------------------------------------

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private static Filter filter(String name, Collection<String> values) {
        return Filter.builder().name(name).values(values).build();
    }

    private static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
