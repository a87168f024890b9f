package dev.pipeline.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.local.LocalCloud;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * For the benchmark only: reads the same resources as the drift check the naive way, one call per resource,
 * sequentially. Lists ids once per kind (the group's instances, each group's rules, the zone's names), then
 * describes each instance, rule and record on its own. Returns how many resources it read; read-only.
 */
final class NaiveSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ec2Client ec2;
    private final Route53Client route53;
    private final ElasticLoadBalancingV2Client elb;
    private final AutoScalingClient autoscaling;
    private final S3Client s3;

    NaiveSnapshot(LocalCloud cloud) {
        this.ec2 = cloud.client(Ec2Client.class);
        this.route53 = cloud.client(Route53Client.class);
        this.elb = cloud.client(ElasticLoadBalancingV2Client.class);
        this.autoscaling = cloud.client(AutoScalingClient.class);
        this.s3 = cloud.client(S3Client.class);
    }

    /** Reads everything; returns the number of instances, rules and records described one by one. */
    int read(String bucket, String environment) {
        JsonNode m;
        try {
            m = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key("pipeline/" + environment + "/manifest.json")).asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int read = 0;
        // fleet: the group, then every member instance on its own
        String groupName = m.path("fleet").path("groupName").asText();
        var group = autoscaling.describeAutoScalingGroups(b -> b.autoScalingGroupNames(groupName)).autoScalingGroups().getFirst();
        for (var i : group.instances()) {
            ec2.describeInstances(b -> b.instanceIds(i.instanceId()));
            read++;
        }
        // backends: each instance on its own
        for (JsonNode backend : m.path("backends").path("instances")) {
            String id = backend.path("instanceId").asText();
            ec2.describeInstances(b -> b.instanceIds(id));
            read++;
        }
        // security groups: each group, its rule ids, then every rule on its own
        List<String> groupIds = new ArrayList<>();
        for (String k : List.of("albGroupId", "appGroupId", "backendGroupId")) groupIds.add(m.path("securityGroups").path(k).asText());
        for (String gid : groupIds) {
            ec2.describeSecurityGroups(b -> b.groupIds(gid));
            List<String> ruleIds = ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(gid).build()))
                    .securityGroupRules().stream().map(r -> r.securityGroupRuleId()).toList();
            for (String rid : ruleIds) {
                ec2.describeSecurityGroupRules(b -> b.securityGroupRuleIds(rid));
                read++;
            }
        }
        // DNS: the zone, its names, then every record on its own
        String zoneId = m.path("dns").path("zoneId").asText();
        route53.getHostedZone(b -> b.id(zoneId));
        List<ResourceRecordSet> names = new ArrayList<>();
        route53.listResourceRecordSetsPaginator(b -> b.hostedZoneId(zoneId)).resourceRecordSets().forEach(names::add);
        for (ResourceRecordSet r : names) {
            route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId).startRecordName(r.name()).startRecordType(r.type()).maxItems("1"));
            read++;
        }
        // the single resources, as the real check reads them
        JsonNode lb = m.path("loadBalancer");
        String tg = lb.path("targetGroupArn").asText();
        elb.describeTargetGroups(b -> b.targetGroupArns(tg));
        elb.describeTargetGroupAttributes(b -> b.targetGroupArn(tg));
        elb.describeLoadBalancers(b -> b.loadBalancerArns(lb.path("loadBalancerArn").asText()));
        elb.describeListeners(b -> b.loadBalancerArn(lb.path("loadBalancerArn").asText()));
        String lt = m.path("launchTemplate").path("launchTemplateId").asText();
        var version = ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(lt).versions("$Default")).launchTemplateVersions().getFirst();
        ec2.describeImages(b -> b.imageIds(version.launchTemplateData().imageId()));
        s3.getBucketVersioning(b -> b.bucket(bucket));
        s3.getBucketEncryption(b -> b.bucket(bucket));
        try {
            s3.getPublicAccessBlock(b -> b.bucket(bucket));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            // not configured: the real check reports it; here only the call counts
        }
        return read;
    }
}
