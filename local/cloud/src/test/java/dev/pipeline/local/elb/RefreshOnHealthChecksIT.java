package dev.pipeline.local.elb;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.instances.InstanceEndpoints;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance refresh gated by the load balancer's real health checks: instances of a release whose health path
 * answers 500 fail the refresh (and the rollback brings the old release back); a good release goes live and the
 * site serves it.
 */
@ExtendWith(LocalCloudExtension.class)
class RefreshOnHealthChecksIT {
    private static final String GROUP = "web";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<InstanceRefreshStatus> FINAL = EnumSet.of(InstanceRefreshStatus.SUCCESSFUL, InstanceRefreshStatus.FAILED,
            InstanceRefreshStatus.CANCELLED, InstanceRefreshStatus.ROLLBACK_SUCCESSFUL, InstanceRefreshStatus.ROLLBACK_FAILED);

    private LocalCloud cloud;
    private FakeInstances fakes;
    /** The instance model the local cloud had (the real one, once installed), put back after each test. */
    private InstanceEndpoints previous;
    private boolean previousMode;

    record Fleet(String templateId, String amiA, String amiB, String targetGroupArn, String siteUrl) {}

    @AfterEach
    void restore() {
        if (cloud != null) {
            cloud.instanceEndpoints(previous);
            LoadBalancers.of(cloud).healthFromChecks(previousMode);
        }
        if (fakes != null) fakes.close();
    }

    /** Two instances of AMI A behind a site; instances of {@code brokenAmi} (if any) answer 500 on /health. */
    private Fleet givenFleet(LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb, boolean bBroken) throws Exception {
        this.cloud = cloud;
        this.previous = cloud.instanceEndpoints();
        this.previousMode = LoadBalancers.of(cloud).fromChecks;
        LoadBalancers.of(cloud).healthFromChecks(true);
        String vpc = ec2.describeVpcs(b -> b.filters(f("isDefault", "true"))).vpcs().getFirst().vpcId();
        List<String> subnets = ec2.describeSubnets(b -> b.filters(f("vpc-id", vpc))).subnets().stream().map(s -> s.subnetId()).limit(2).toList();
        String base = ec2.describeImages(b -> b.filters(f("name", "al2023-ami-2023*-x86_64"))).images().getFirst().imageId();
        String builder = ec2.runInstances(b -> b.imageId(base).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1)).instances().getFirst().instanceId();
        String amiA = ec2.createImage(b -> b.instanceId(builder).name("web-release-1")).imageId();
        String amiB = ec2.createImage(b -> b.instanceId(builder).name("web-release-2")).imageId();
        ec2.terminateInstances(b -> b.instanceIds(builder));
        Map<String, String> amiOf = new ConcurrentHashMap<>();
        fakes = new FakeInstances(id -> bBroken && amiB.equals(amiOf.computeIfAbsent(id, i ->
                ec2.describeInstances(b -> b.instanceIds(i)).reservations().getFirst().instances().getFirst().imageId())) ? 500 : 200);
        cloud.instanceEndpoints(fakes);

        String lt = ec2.createLaunchTemplate(b -> b.launchTemplateName("web-template")
                .launchTemplateData(d -> d.imageId(amiA).instanceType(InstanceType.T3_MICRO))).launchTemplate().launchTemplateId();
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(lt).sourceVersion("1").launchTemplateData(d -> d.imageId(amiB)));
        String tg = elb.createTargetGroup(b -> b.name("web-tg").protocol(ProtocolEnum.HTTP).port(FakeInstances.TOMCAT_PORT).vpcId(vpc)
                .targetType(TargetTypeEnum.INSTANCE).healthCheckPath("/health").healthyThresholdCount(2).unhealthyThresholdCount(2))
                .targetGroups().getFirst().targetGroupArn();
        String lb = elb.createLoadBalancer(b -> b.name("web-alb").type(LoadBalancerTypeEnum.APPLICATION).subnets(subnets))
                .loadBalancers().getFirst().loadBalancerArn();
        elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg)));
        asg.createAutoScalingGroup(b -> b.autoScalingGroupName(GROUP).minSize(2).maxSize(4).desiredCapacity(2)
                .launchTemplate(l -> l.launchTemplateId(lt).version("1")).vpcZoneIdentifier(subnets.getFirst()).targetGroupARNs(tg));
        String url = new com.fasterxml.jackson.databind.ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(
                cloud.endpoint().resolve("/_local/sites")).build(), HttpResponse.BodyHandlers.ofString()).body()).get(0).path("url").asText();
        return new Fleet(lt, amiA, amiB, tg, url);
    }

    private static Filter f(String name, String value) { return Filter.builder().name(name).values(value).build(); }

    private static InstanceRefresh refreshToVersion2(AutoScalingClient asg, Fleet fleet) throws InterruptedException {
        String id = asg.startInstanceRefresh(b -> b.autoScalingGroupName(GROUP)
                .desiredConfiguration(d -> d.launchTemplate(l -> l.launchTemplateId(fleet.templateId()).version("2")))
                .preferences(p -> p.minHealthyPercentage(50).instanceWarmup(0).autoRollback(true))).instanceRefreshId();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            InstanceRefresh r = asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP).instanceRefreshIds(id)).instanceRefreshes().getFirst();
            if (FINAL.contains(r.status())) return r;
            assertThat(Instant.now()).as("refresh still %s: %s", r.status(), r.statusReason()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static Set<String> groupImages(AutoScalingClient asg, Ec2Client ec2) {
        List<String> ids = asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(GROUP)).autoScalingGroups().getFirst()
                .instances().stream().map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId).toList();
        return ec2.describeInstances(b -> b.instanceIds(ids)).reservations().stream().flatMap(r -> r.instances().stream())
                .map(software.amazon.awssdk.services.ec2.model.Instance::imageId).collect(Collectors.toSet());
    }

    private static Set<String> servedBy(String url, int requests) throws Exception {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("site answer: %s", r.body()).isEqualTo(200);
            out.add(r.body());
        }
        return out;
    }

    @Test
    void refresh_rollsBack_whenNewInstancesAnswer500OnTheirHealthPath_andTheSiteKeepsServingTheOldRelease(
            LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(cloud, ec2, asg, elb, true);

        InstanceRefresh r = refreshToVersion2(asg, fleet);

        assertThat(r.status()).isEqualTo(InstanceRefreshStatus.ROLLBACK_SUCCESSFUL);
        assertThat(r.statusReason()).contains("Target.ResponseCodeMismatch");
        assertThat(groupImages(asg, ec2)).containsOnly(fleet.amiA());
        // what a user sees: the site still answers, from instances of the old release only
        Set<String> live = asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(GROUP)).autoScalingGroups().getFirst()
                .instances().stream().map(i -> "served by " + i.instanceId()).collect(Collectors.toSet());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Set<String> served = servedBy(fleet.siteUrl(), 6);
        while (!live.containsAll(served)) { // the rolled-back instances need their first check
            assertThat(Instant.now()).as("site serves %s, group is %s", served, live).isBefore(deadline);
            Thread.sleep(100);
            served = servedBy(fleet.siteUrl(), 6);
        }
    }

    @Test
    void refresh_succeeds_whenNewInstancesPassTheirHealthChecks_andTheSiteServesThem(
            LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(cloud, ec2, asg, elb, false);
        Set<String> before = asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(GROUP)).autoScalingGroups().getFirst()
                .instances().stream().map(i -> "served by " + i.instanceId()).collect(Collectors.toSet());

        InstanceRefresh r = refreshToVersion2(asg, fleet);

        assertThat(r.status()).as(r.statusReason()).isEqualTo(InstanceRefreshStatus.SUCCESSFUL);
        assertThat(groupImages(asg, ec2)).containsOnly(fleet.amiB());
        assertThat(servedBy(fleet.siteUrl(), 6)).doesNotContainAnyElementsOf(before);
    }
}
