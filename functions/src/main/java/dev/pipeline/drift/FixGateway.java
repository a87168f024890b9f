package dev.pipeline.drift;

import dev.pipeline.provision.network.SecurityGroupGateway;
import dev.pipeline.provision.network.SgRule;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.RRType;

import java.util.List;

/** Applies {@link Fix}es. Every call is idempotent in effect (authorize/revoke/UPSERT/modify/attach to a fixed value). */
public final class FixGateway {
    /** Provisioning's TTL for backend records (RecordPlan.TTL): short, so a replaced backend is found quickly. */
    static final long RECORD_TTL = 60;

    private final Ec2Client ec2;
    private final Route53Client route53;
    private final ElasticLoadBalancingV2Client elb;
    private final AutoScalingClient autoscaling;

    public FixGateway(Ec2Client ec2, Route53Client route53, ElasticLoadBalancingV2Client elb, AutoScalingClient autoscaling) {
        this.ec2 = ec2;
        this.route53 = route53;
        this.elb = elb;
        this.autoscaling = autoscaling;
    }

    /** Applies one fix; returns what was done, or why it was skipped. */
    public String apply(Fix fix) {
        switch (fix) {
            case Fix.AuthorizeRule a -> {
                if (a.rule().egress()) ec2.authorizeSecurityGroupEgress(b -> b.groupId(a.groupId()).ipPermissions(SecurityGroupGateway.permission(a.rule())));
                else ec2.authorizeSecurityGroupIngress(b -> b.groupId(a.groupId()).ipPermissions(SecurityGroupGateway.permission(a.rule())));
            }
            case Fix.RevokeRule r -> ec2.revokeSecurityGroupIngress(b -> b.groupId(r.groupId()).ipPermissions(SecurityGroupGateway.permission(
                    new SgRule(false, r.rule().protocol(), r.rule().fromPort(), r.rule().toPort(), r.rule().peer(), null))));
            case Fix.UpsertRecord u -> route53.changeResourceRecordSets(b -> b.hostedZoneId(u.zoneId()).changeBatch(c -> c
                    .comment("drift fix: " + u.name() + " to its instance's current IP")
                    .changes(ch -> ch.action("UPSERT").resourceRecordSet(s -> s.name(u.name() + ".").type(RRType.A).ttl(RECORD_TTL)
                            .resourceRecords(v -> v.value(u.ip()))))));
            case Fix.RestoreTargetGroup t -> {
                var hc = t.healthCheck();
                if (hc != null) {
                    elb.modifyTargetGroup(b -> b.targetGroupArn(t.arn()).healthCheckEnabled(true).healthCheckProtocol(hc.protocol())
                            .healthCheckPort(hc.port()).healthCheckPath(hc.path()).healthCheckIntervalSeconds(hc.intervalSeconds())
                            .healthCheckTimeoutSeconds(hc.timeoutSeconds()).healthyThresholdCount(hc.healthyThreshold())
                            .unhealthyThresholdCount(hc.unhealthyThreshold()).matcher(m -> m.httpCode(hc.matcher())));
                }
                if (t.attributes() != null) {
                    elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(t.arn()).attributes(t.attributes().entrySet().stream()
                            .map(e -> TargetGroupAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
                }
            }
            case Fix.AttachTargetGroup a -> autoscaling.attachLoadBalancerTargetGroups(b -> b.autoScalingGroupName(a.groupName())
                    .targetGroupARNs(a.targetGroupArn()));
            case Fix.RestoreDefaultVersion v -> {
                List<LaunchTemplateVersion> found = ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(v.launchTemplateId())
                        .versions(v.version())).launchTemplateVersions();
                if (found.isEmpty() || !sound(found.getFirst())) {
                    return "skipped: version " + v.version() + " of " + v.launchTemplateId() + " is not sound either; deploy again";
                }
                ec2.modifyLaunchTemplate(b -> b.launchTemplateId(v.launchTemplateId()).defaultVersion(v.version()));
            }
        }
        return "done: " + fix.describe();
    }

    private static boolean sound(LaunchTemplateVersion v) {
        var d = v.launchTemplateData();
        var volumes = d.blockDeviceMappings().stream().filter(m -> m.ebs() != null).toList();
        return d.metadataOptions() != null && "required".equals(d.metadataOptions().httpTokensAsString())
                && !volumes.isEmpty() && volumes.stream().allMatch(m -> Boolean.TRUE.equals(m.ebs().encrypted()));
    }
}
