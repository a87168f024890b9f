package dev.pipeline.drift;

import dev.pipeline.provision.loadbalancer.HealthCheckSettings;
import dev.pipeline.provision.loadbalancer.TargetGroupSettings;
import dev.pipeline.provision.network.ActualRule;
import dev.pipeline.provision.network.RuleDiff;
import dev.pipeline.provision.network.SecurityGroupLayout;
import dev.pipeline.provision.network.SgRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Desired vs actual → findings. Pure and deterministic (the same inputs give the same findings in the same order),
 * so two checks of the same drift produce the same report and the notification is not repeated. A rule whose area
 * could not be read reports "not checked" instead of guessing.
 */
public final class DriftRules {

    /** Ports that must never be reachable from the whole internet (SSH, MariaDB, Memcached, RabbitMQ, Tomcat). */
    public static final Set<Integer> SENSITIVE_PORTS = Set.of(22, 3306, 11211, 5672, 8080);

    private static final Set<String> GONE = Set.of("terminated", "shutting-down");
    private static final Set<String> STOPPED = Set.of("stopped", "stopping");

    private final Desired want;
    private final Snapshot have;
    private final List<Finding> findings = new ArrayList<>();
    private final List<NotChecked> notChecked = new ArrayList<>();

    private DriftRules(Desired want, Snapshot have) {
        this.want = want;
        this.have = have;
    }

    /** The findings and the areas that could not be checked. */
    public record Result(List<Finding> findings, List<NotChecked> notChecked) {}

    public static Result evaluate(Desired want, Snapshot have) {
        DriftRules r = new DriftRules(want, have);
        r.securityGroups();
        r.instances();
        r.dns();
        r.targetGroup();
        r.listeners();
        r.loadBalancer();
        r.fleet();
        r.launchTemplate();
        r.artifacts();
        r.alarms();
        r.deploymentGroup();
        return new Result(List.copyOf(r.findings), List.copyOf(r.notChecked));
    }

    private boolean check(Area area, String resource) {
        if (have.readable(area)) return true;
        notChecked.add(new NotChecked(area, resource, have.unreadable().get(area)));
        return false;
    }

    private void add(String id, Severity severity, String resource, Object expected, Object actual, String fix) {
        findings.add(new Finding(id, severity, resource, Objects.toString(expected, ""), Objects.toString(actual, ""), fix));
    }

    // ------------------------------------------------------------------------------------------- security groups

    private void securityGroups() {
        if (!check(Area.SECURITY_GROUPS, "security groups of " + want.spec().name())) return;
        for (var e : want.groupIds().entrySet()) {
            String component = e.getKey();
            String groupId = e.getValue();
            Snapshot.SecurityGroup g = have.securityGroups().get(groupId);
            String resource = want.spec().resourceName(component) + " (" + groupId + ")";
            if (g == null) {
                add("sg.group.missing", Severity.CRITICAL, resource, "security group " + groupId, "absent",
                        "run provisioning again: it recreates the group and its rules");
                continue;
            }
            List<ActualRule> actual = g.rules().stream().map(r -> new ActualRule(null, groupId, r)).toList();
            RuleDiff diff = RuleDiff.between(want.rules().get(component), actual);
            for (SgRule missing : diff.toAuthorize()) {
                add("sg.rule.missing", Severity.HIGH, resource, missing.toString(), "absent",
                        "authorize " + missing + "");
            }
            for (ActualRule added : diff.toRevoke()) {
                SgRule r = added.rule();
                if (!r.egress() && r.peer().worldOpen() && exposesSensitivePort(r)) {
                    add("sg.rule.world-open", Severity.CRITICAL, resource, "no rule open to the internet on " + ports(r),
                            r.toString(), backend(component) ? "revoke it"
                                    : "revoke it; reach the instances through the load balancer or SSM Session Manager");
                } else {
                    add("sg.rule.added", r.peer().worldOpen() && !r.egress() ? Severity.HIGH : Severity.MEDIUM, resource,
                            "not in the spec", r.toString(), "revoke it, or add it to the spec if it is needed");
                }
            }
        }
    }

    private static boolean backend(String component) {
        return SecurityGroupLayout.BACKEND.equals(component);
    }

    static boolean exposesSensitivePort(SgRule r) {
        if (r.allTraffic()) return true;
        if (!r.protocol().equals("tcp") && !r.protocol().equals("6")) return false;
        return SENSITIVE_PORTS.stream().anyMatch(p -> r.fromPort() <= p && p <= r.toPort());
    }

    private static String ports(SgRule r) {
        return r.allTraffic() ? "any port" : r.fromPort() == r.toPort() ? "port " + r.fromPort() : "ports " + r.fromPort() + "-" + r.toPort();
    }

    // ------------------------------------------------------------------------------------------- backends

    private void instances() {
        if (!check(Area.INSTANCES, "backend instances")) return;
        for (Desired.Backend b : want.backends().values()) {
            String resource = b.host() + " (" + b.instanceId() + ")";
            Snapshot.Instance i = b.instanceId() == null ? null : have.instances().get(b.instanceId());
            if (i == null) {
                add("instance.missing", Severity.CRITICAL, resource, "instance " + b.instanceId(), "absent",
                        "run provisioning again: it launches a new " + b.host() + " and points " + b.dnsName() + " at it");
                continue;
            }
            if (GONE.contains(i.state())) {
                add("instance.terminated", Severity.CRITICAL, resource, "running", i.state(),
                        "run provisioning again: it launches a new " + b.host() + " (data on the old volume is gone unless backed up)");
                continue;
            }
            if (STOPPED.contains(i.state())) {
                add("instance.stopped", Severity.CRITICAL, resource, "running", i.state(),
                        "start it: aws ec2 start-instances --instance-ids " + i.instanceId());
            }
            if (!b.instanceType().equals(i.instanceType())) {
                add("instance.type.changed", Severity.MEDIUM, resource, b.instanceType(), i.instanceType(),
                        "stop it, change the type back (or change the spec), start it");
            }
            if (!"required".equals(i.httpTokens())) {
                add("instance.imdsv2.optional", Severity.HIGH, resource, "HttpTokens=required", "HttpTokens=" + i.httpTokens(),
                        "aws ec2 modify-instance-metadata-options --instance-id " + i.instanceId() + " --http-tokens required");
            }
        }
    }

    /** The IP a backend's record must hold: the instance's current one, or the manifest's when it cannot be read. */
    private Optional<String> currentIp(Desired.Backend b) {
        if (have.readable(Area.INSTANCES)) {
            Snapshot.Instance i = have.instances().get(b.instanceId());
            if (i != null && !GONE.contains(i.state()) && i.privateIp() != null) return Optional.of(i.privateIp());
            return Optional.empty();
        }
        return Optional.ofNullable(want.records().get(b.dnsName()));
    }

    // ------------------------------------------------------------------------------------------- DNS

    private void dns() {
        String zone = want.zoneName() + " (" + want.zoneId() + ")";
        if (!check(Area.DNS_ZONE, "private zone " + zone)) return;
        if (have.zone().isEmpty()) {
            add("dns.zone.missing", Severity.CRITICAL, zone, "private hosted zone " + want.zoneName(), "absent",
                    "run provisioning again: it recreates the zone and the backend records");
            return;
        }
        String vpc = want.spec().network().vpcId();
        if (!have.zone().get().vpcIds().contains(vpc)) {
            add("dns.zone.vpc-detached", Severity.CRITICAL, zone, "associated with " + vpc, have.zone().get().vpcIds(),
                    "aws route53 associate-vpc-with-hosted-zone --hosted-zone-id " + want.zoneId() + " --vpc VPCRegion="
                            + want.spec().region().orElse("<region>") + ",VPCId=" + vpc);
        }
        if (!check(Area.DNS_RECORDS, "records of " + zone)) return;
        Set<String> expectedNames = new TreeSet<>();
        for (Desired.Backend b : want.backends().values()) {
            expectedNames.add(b.dnsName());
            String value = have.records().get(b.dnsName());
            Optional<String> ip = currentIp(b);
            if (value == null) {
                add("dns.record.missing", Severity.CRITICAL, b.dnsName(), "A " + ip.orElse("(the instance's private IP)"),
                        "absent", "UPSERT the A record");
            } else if (ip.isPresent() && !ip.get().equals(value)) {
                add("dns.record.mismatch", Severity.CRITICAL, b.dnsName(), "A " + ip.get() + " (" + b.host() + "'s private IP)",
                        "A " + value, "UPSERT the A record to " + ip.get() + "");
            }
            Long ttl = have.recordTtls().get(b.dnsName());
            if (value != null && ttl != null && ttl != FixGateway.RECORD_TTL) {
                // resolvers keep the old answer for the whole TTL: 3600 s means an hour on a replaced backend's old IP
                add("dns.record.ttl", Severity.MEDIUM, b.dnsName(), "TTL " + FixGateway.RECORD_TTL, "TTL " + ttl,
                        "UPSERT the A record with TTL " + FixGateway.RECORD_TTL + " (a longer TTL delays failover to a replaced "
                                + b.host() + ")");
            }
        }
        for (var r : new TreeSet<>(have.records().keySet())) {
            if (!expectedNames.contains(r)) {
                add("dns.record.extra", Severity.LOW, r, "no such record", "A " + have.records().get(r),
                        "delete it if nobody uses it");
            }
        }
    }

    // ------------------------------------------------------------------------------------------- alarms

    /**
     * The alarms every release's refresh rolls back on: a missing or changed one means a bad release is no longer
     * caught (StartInstanceRefresh names them). Provisioning rewrites them from the spec.
     */
    private void alarms() {
        if (!check(Area.ALARMS, "alarms of " + want.spec().name()) || have.alarms().isEmpty()) return;
        Map<String, dev.pipeline.provision.alarms.AlarmDefinition> found = have.alarms().get();
        for (var d : want.alarms()) {
            var actual = found.get(d.name());
            if (actual == null) {
                add("alarm.missing", Severity.HIGH, d.name(), d.metricName() + " " + d.comparisonOperator() + " " + d.threshold(),
                        "absent", "run provisioning again: it recreates the alarm (until then releases are not rolled back on it, "
                                + "and a deploy's instance refresh names an alarm that does not exist)");
                continue;
            }
            String differences = d.differences(actual);
            if (!differences.isEmpty()) {
                add("alarm.changed", Severity.MEDIUM, d.name(), "as the spec's deployment.alarms say", differences,
                        "run provisioning again: it rewrites the alarm from the spec");
            }
        }
    }

    // ------------------------------------------------------------------------------------------- CodeDeploy

    /**
     * The deployment group in-place releases go through: missing, it fails them; on other instances or without its
     * target group, it updates instances other than the fleet or while they serve; without rollback or alarms, a bad
     * release stays live. Report-only, like the alarms: provisioning converges the group
     * (ProvisionDeploymentGroup); the service role is not compared (the check does not know its ARN).
     */
    private void deploymentGroup() {
        var settings = dev.pipeline.provision.codedeploy.DeploymentGroupSettings.of(want.spec(), null);
        String resource = settings.application() + "/" + settings.group();
        if (!check(Area.CODEDEPLOY, "CodeDeploy deployment group " + resource) || !have.deploymentGroupRead()) return;
        String fix = "run provisioning again: ProvisionDeploymentGroup converges the deployment group";
        if (have.deploymentGroup().isEmpty()) {
            add("codedeploy.group.missing", Severity.HIGH, resource, "deployment group " + settings.group() + " on "
                    + settings.autoScalingGroups(), "absent", fix + " (until then in-place releases fail)");
            return;
        }
        var g = have.deploymentGroup().get();
        if (!new TreeSet<>(settings.autoScalingGroups()).equals(new TreeSet<>(g.autoScalingGroups()))) {
            add("codedeploy.group.fleet", Severity.HIGH, resource, settings.autoScalingGroups(), g.autoScalingGroups(),
                    fix + " (in-place releases go to other instances than the fleet)");
        }
        if (!new TreeSet<>(settings.targetGroups()).equals(new TreeSet<>(g.targetGroups()))
                || !dev.pipeline.provision.codedeploy.DeploymentGroupSettings.DEPLOYMENT_TYPE.equals(g.deploymentType())
                || !dev.pipeline.provision.codedeploy.DeploymentGroupSettings.DEPLOYMENT_OPTION.equals(g.deploymentOption())) {
            add("codedeploy.group.traffic", Severity.HIGH, resource, "IN_PLACE WITH_TRAFFIC_CONTROL on " + settings.targetGroups(),
                    g.deploymentType() + " " + g.deploymentOption() + " on " + g.targetGroups(),
                    fix + " (instances would be updated while they serve)");
        }
        if (!settings.config().equals(g.config())) {
            add("codedeploy.group.config", Severity.MEDIUM, resource, settings.config(), g.config(), fix);
        }
        boolean rollback = g.rollbackEnabled() && g.rollbackEvents().containsAll(settings.rollbackEvents());
        boolean alarmsWatched = g.alarmsEnabled() && new TreeSet<>(g.alarms()).equals(new TreeSet<>(settings.alarms()));
        if (!rollback || !alarmsWatched) {
            add("codedeploy.group.rollback", Severity.HIGH, resource, "rollback on " + new TreeSet<>(settings.rollbackEvents())
                            + ", alarms " + settings.alarms(),
                    "rollback " + (g.rollbackEnabled() ? "on " + new TreeSet<>(g.rollbackEvents()) : "off") + ", alarms "
                            + (g.alarmsEnabled() ? g.alarms() : "off"), fix + " (until then a bad in-place release is not rolled back)");
        }
    }

    // ------------------------------------------------------------------------------------------- load balancing

    private void targetGroup() {
        String resource = want.spec().targetGroupName();
        if (!check(Area.TARGET_GROUP, resource)) return;
        if (have.targetGroup().isEmpty()) {
            add("tg.missing", Severity.CRITICAL, resource, want.targetGroupArn(), "absent", "run provisioning again");
            return;
        }
        Snapshot.TargetGroup tg = have.targetGroup().get();
        if (tg.port() != TargetGroupSettings.PORT) {
            add("tg.port.changed", Severity.CRITICAL, resource, TargetGroupSettings.PORT, tg.port(),
                    "ELB cannot change it in place: delete the target group and its listeners, run provisioning again");
        }
        if (!TargetGroupSettings.PROTOCOL.equals(tg.protocol())) {
            add("tg.protocol.changed", Severity.CRITICAL, resource, TargetGroupSettings.PROTOCOL,
                    tg.protocol(), "ELB cannot change it in place: delete the target group and its listeners, run provisioning again");
        }
        HealthCheckSettings hc = want.healthCheck();
        if (!sameHealthCheck(hc, tg.healthCheck())) {
            add("tg.healthcheck.changed", Severity.HIGH, resource, hc.describe(), tg.healthCheck().describe(),
                    "restore the health check");
        }
        Map<String, String> attrs = want.targetGroupAttributes();
        if (!"true".equals(tg.attributes().get("stickiness.enabled"))) {
            add("tg.stickiness.off", Severity.HIGH, resource, "stickiness.enabled=true (lb_cookie)",
                    "stickiness.enabled=" + tg.attributes().getOrDefault("stickiness.enabled", "false"),
                    "turn stickiness back on: users lose their session on every request otherwise");
        } else {
            String d = "stickiness.lb_cookie.duration_seconds";
            if (!Objects.equals(attrs.get(d), tg.attributes().get(d))) {
                add("tg.stickiness.duration", Severity.LOW, resource, d + "=" + attrs.get(d), d + "=" + tg.attributes().get(d),
                        "restore the duration");
            }
        }
    }

    /**
     * Compared field by field; the port is only compared when reported as a number, because moto reports
     * "traffic-port" literally while AWS may give the port (docs/moto-measured.md).
     */
    static boolean sameHealthCheck(HealthCheckSettings want, HealthCheckSettings have) {
        return Objects.equals(want.protocol(), have.protocol()) && Objects.equals(want.path(), have.path())
                && want.intervalSeconds() == have.intervalSeconds() && want.timeoutSeconds() == have.timeoutSeconds()
                && want.healthyThreshold() == have.healthyThreshold() && want.unhealthyThreshold() == have.unhealthyThreshold()
                && Objects.equals(want.matcher(), have.matcher())
                && (have.port() == null || have.port().equals(HealthCheckSettings.TRAFFIC_PORT)
                || have.port().equals(String.valueOf(TargetGroupSettings.PORT)));
    }

    private void listeners() {
        String lb = want.spec().loadBalancerName();
        if (!check(Area.LISTENERS, "listeners of " + lb)) return;
        if (have.readable(Area.LOAD_BALANCER) && have.loadBalancer().isEmpty()) return; // alb.missing says it all
        for (int port : want.listenerPorts()) {
            String resource = lb + " listener :" + port;
            Optional<Snapshot.Listener> l = have.listeners().stream().filter(x -> x.port() == port).findFirst();
            String expected = (port == 443 ? "HTTPS" : "HTTP") + " :" + port + " forward to " + want.spec().targetGroupName();
            if (l.isEmpty()) {
                add("listener.missing", Severity.CRITICAL, resource, expected, "absent", "run provisioning again");
                continue;
            }
            Snapshot.Listener x = l.get();
            boolean forwards = "forward".equals(x.actionType()) && x.targetGroupArns().equals(List.of(want.targetGroupArn()));
            if (!forwards || !x.protocol().equals(port == 443 ? "HTTPS" : "HTTP")) {
                add("listener.changed", Severity.HIGH, resource, expected,
                        x.protocol() + " :" + x.port() + " " + x.actionType() + " " + x.targetGroupArns(),
                        "run provisioning again: it restores the listener's default action");
            }
        }
    }

    private void loadBalancer() {
        String resource = want.spec().loadBalancerName();
        if (!check(Area.LOAD_BALANCER, resource)) return;
        if (have.loadBalancer().isEmpty()) {
            add("alb.missing", Severity.CRITICAL, resource, want.loadBalancerArn(), "absent", "run provisioning again");
            return;
        }
        List<String> expected = List.of(want.groupIds().get(SecurityGroupLayout.ALB));
        if (!new TreeSet<>(have.loadBalancer().get().securityGroups()).equals(new TreeSet<>(expected))) {
            add("alb.security-groups.changed", Severity.HIGH, resource, expected, have.loadBalancer().get().securityGroups(),
                    "aws elbv2 set-security-groups --load-balancer-arn " + want.loadBalancerArn() + " --security-groups " + expected.getFirst());
        }
    }

    // ------------------------------------------------------------------------------------------- fleet

    private void fleet() {
        String resource = want.groupName();
        if (!check(Area.FLEET, resource)) return;
        if (have.group().isEmpty()) {
            add("asg.missing", Severity.CRITICAL, resource, "Auto Scaling group " + resource, "absent", "run provisioning again");
            return;
        }
        Snapshot.Group g = have.group().get();
        var f = want.spec().fleet();
        if (g.min() != f.min() || g.desired() != f.desired() || g.max() != f.max()) {
            add("asg.capacity.changed", Severity.MEDIUM, resource, "min " + f.min() + ", desired " + f.desired() + ", max " + f.max(),
                    "min " + g.min() + ", desired " + g.desired() + ", max " + g.max(),
                    "change the spec if the new size is wanted, or run provisioning again to restore it");
        }
        if (want.targetGroupArn() != null && !g.targetGroupArns().contains(want.targetGroupArn())) {
            add("asg.tg.detached", Severity.CRITICAL, resource, "attached to " + want.spec().targetGroupName(), g.targetGroupArns(),
                    "re-attach the target group");
        }
        if (!"ELB".equals(g.healthCheckType())) {
            add("asg.healthcheck.type", Severity.HIGH, resource, "ELB", g.healthCheckType(),
                    "aws autoscaling update-auto-scaling-group --auto-scaling-group-name " + resource + " --health-check-type ELB");
        }
        if (!have.readable(Area.LAUNCH_TEMPLATE) || have.launchTemplate().isEmpty()) return;
        Snapshot.LaunchTemplate lt = have.launchTemplate().get();
        String version = String.valueOf(lt.defaultVersion());
        if (!Objects.equals(lt.id(), g.launchTemplateId()) || !(version.equals(g.launchTemplateVersion())
                || "$Default".equals(g.launchTemplateVersion()))) {
            add("asg.launch-template.version", Severity.MEDIUM, resource, lt.id() + " version " + version,
                    g.launchTemplateId() + " version " + g.launchTemplateVersion(), "deploy again, or point the group at the default version");
        }
        // ImageId, not the instance's LaunchTemplate.Version: moto computes that from the current default on every
        // Describe (docs/moto-measured.md), and on AWS the image is what matters to users anyway.
        for (var e : new java.util.TreeMap<>(g.instanceImages()).entrySet()) {
            if (e.getValue() != null && !e.getValue().equals(lt.imageId())) {
                add("asg.instance.image", Severity.MEDIUM, resource + " " + e.getKey(), lt.imageId(), e.getValue(),
                        "start an instance refresh (or deploy again) so every instance runs the live release");
            }
        }
    }

    private void launchTemplate() {
        String resource = want.spec().resourceName("launch-template") + " (" + want.launchTemplateId() + ")";
        if (!check(Area.LAUNCH_TEMPLATE, resource)) return;
        if (have.launchTemplate().isEmpty()) {
            add("lt.missing", Severity.CRITICAL, resource, "launch template " + want.launchTemplateId(), "absent", "run provisioning again");
            return;
        }
        Snapshot.LaunchTemplate lt = have.launchTemplate().get();
        String v = resource + " v" + lt.defaultVersion();
        if (!"required".equals(lt.httpTokens())) {
            add("lt.imdsv2.optional", Severity.HIGH, v, "HttpTokens=required", "HttpTokens=" + lt.httpTokens(),
                    "make the previous version the default again");
        }
        if (lt.volumes() == 0 || !lt.allVolumesEncrypted()) {
            add("lt.ebs.unencrypted", Severity.HIGH, v, "every volume encrypted",
                    lt.volumes() == 0 ? "no block device mappings" : "an unencrypted volume",
                    "make the previous version the default again");
        }
    }

    // ------------------------------------------------------------------------------------------- artifacts

    private void artifacts() {
        if (check(Area.IMAGE, "live release image") && have.launchTemplate().isPresent()) {
            String image = have.launchTemplate().get().imageId();
            if (have.imageState().isEmpty() || !"available".equals(have.imageState().get())) {
                add("image.missing", Severity.HIGH, image, "available", have.imageState().orElse("absent"),
                        "deploy again (bakes a new image); scaling out and instance replacement fail until then");
            }
        }
        String bucket = "s3://" + want.bucket();
        if (!check(Area.BUCKET, bucket)) return;
        if (have.bucket().isEmpty()) {
            add("bucket.missing", Severity.CRITICAL, bucket, "the artifact bucket", "absent", "redeploy the stack");
            return;
        }
        Snapshot.Bucket b = have.bucket().get();
        if (!"Enabled".equals(b.versioning())) {
            add("bucket.versioning.off", Severity.HIGH, bucket, "Enabled", b.versioning(),
                    "aws s3api put-bucket-versioning --bucket " + want.bucket() + " --versioning-configuration Status=Enabled");
        }
        if (b.encryption() == null) {
            add("bucket.encryption.off", Severity.HIGH, bucket, "default encryption (AES256 or aws:kms)", "none",
                    "restore default encryption (template.yaml: BucketEncryption)");
        }
        if (!b.publicAccessBlocked()) {
            add("bucket.public-access.open", Severity.CRITICAL, bucket, "all four public access blocks on", "not all on",
                    "aws s3api put-public-access-block --bucket " + want.bucket()
                            + " --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true");
        }
    }
}
