package dev.pipeline.provision.workflow;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.provision.codedeploy.DeploymentGroupNames;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts every kind of resource an environment owns, found the way a user would look for leftovers: by the
 * environment tag, the environment's name prefix, or its parameter path.
 */
final class Inventory {
    private Inventory() {}

    static Map<String, Integer> of(LocalCloud cloud, String env) {
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        Filter tag = Filter.builder().name("tag:pipeline:environment").values(env).build();
        Map<String, Integer> n = new TreeMap<>();
        n.put("instances", (int) ec2.describeInstancesPaginator(b -> b.filters(tag,
                        Filter.builder().name("instance-state-name").values("pending", "running", "stopping", "stopped").build()))
                .reservations().stream().mapToLong(r -> r.instances().size()).sum());
        n.put("securityGroups", ec2.describeSecurityGroups(b -> b.filters(tag)).securityGroups().size());
        n.put("images", ec2.describeImages(b -> b.owners("self").filters(tag)).images().size());
        n.put("snapshots", ec2.describeSnapshots(b -> b.ownerIds("self").filters(tag)).snapshots().size());
        n.put("launchTemplates", ec2.describeLaunchTemplates(b -> b.filters(tag)).launchTemplates().size());
        n.put("autoScalingGroups", (int) cloud.client(AutoScalingClient.class).describeAutoScalingGroups().autoScalingGroups()
                .stream().filter(g -> g.tags().stream().anyMatch(t -> t.key().equals("pipeline:environment") && t.value().equals(env))).count());
        ElasticLoadBalancingV2Client elb = cloud.client(ElasticLoadBalancingV2Client.class);
        n.put("loadBalancers", (int) elb.describeLoadBalancers().loadBalancers().stream().filter(l -> l.loadBalancerName().startsWith(env + "-")).count());
        n.put("targetGroups", (int) elb.describeTargetGroups().targetGroups().stream().filter(t -> t.targetGroupName().startsWith(env + "-")).count());
        Route53Client r53 = cloud.client(Route53Client.class);
        n.put("hostedZones", (int) r53.listHostedZones().hostedZones().stream().filter(z -> z.config() != null && z.config().privateZone()
                && r53.listTagsForResource(b -> b.resourceType("hostedzone").resourceId(z.id().replace("/hostedzone/", "")))
                .resourceTagSet().tags().stream().anyMatch(t -> t.key().equals("pipeline:environment") && t.value().equals(env))).count());
        CodeDeployClient cd = cloud.client(CodeDeployClient.class);
        boolean application = cd.listApplications().applications().contains(DeploymentGroupNames.application(env));
        n.put("codeDeployApplications", application ? 1 : 0);
        n.put("codeDeployGroups", application
                ? cd.listDeploymentGroups(b -> b.applicationName(DeploymentGroupNames.application(env))).deploymentGroups().size() : 0);
        n.put("parameters", cloud.client(SsmClient.class).getParametersByPath(b -> b.path("/pipeline/" + env).recursive(true))
                .parameters().size());
        return n;
    }

    static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
