package dev.pipeline.local.refresh;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.ActiveInstanceRefreshNotFoundException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthReasonEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Instance refresh and target health through the gateway, with the SDK clients the pipeline uses. The mechanics of
 * a refresh (batches, checkpoints, cancel, rollback) on moto's instances, with health from the hand-kept
 * {@link HealthModel}: these instances run nothing, so the instance model is set aside for each test (the load
 * balancer's real checks are covered by dev.pipeline.local.elb.RefreshOnHealthChecksIT).
 */
@ExtendWith(LocalCloudExtension.class)
class InstanceRefreshIT {
    private dev.pipeline.local.instances.InstanceEndpoints model;
    private LocalCloud cloud;

    @org.junit.jupiter.api.BeforeEach
    void withoutInstanceModel(LocalCloud cloud) {
        this.cloud = cloud;
        this.model = cloud.instanceEndpoints();
        cloud.instanceEndpoints(dev.pipeline.local.instances.InstanceEndpoints.NONE);
    }

    @org.junit.jupiter.api.AfterEach
    void restoreInstanceModel() { cloud.instanceEndpoints(model); }

    private static final String GROUP = "web";
    private static final Set<InstanceRefreshStatus> FINAL = EnumSet.of(
            InstanceRefreshStatus.SUCCESSFUL, InstanceRefreshStatus.FAILED, InstanceRefreshStatus.CANCELLED,
            InstanceRefreshStatus.ROLLBACK_SUCCESSFUL, InstanceRefreshStatus.ROLLBACK_FAILED);

    /** A 4-instance group on launch template version {@code groupVersion} (v1 = AMI A, v2 = AMI B), in a target group. */
    record Fleet(String templateId, String amiA, String amiB, String targetGroupArn) {}

    private static Fleet givenFleet(Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb, String groupVersion) {
        String vpc = ec2.describeVpcs(b -> b.filters(f("isDefault", "true"))).vpcs().getFirst().vpcId();
        String subnet = ec2.describeSubnets(b -> b.filters(f("vpc-id", vpc))).subnets().getFirst().subnetId();
        // bake two AMIs the way the pipeline does: image a builder instance
        List<software.amazon.awssdk.services.ec2.model.Image> base =
                ec2.describeImages(b -> b.filters(f("name", "al2023-ami-2023*-x86_64"))).images();
        assertThat(base).as("moto's built-in Amazon Linux 2023 AMIs").isNotEmpty();
        String builder = ec2.runInstances(b -> b.imageId(base.getFirst().imageId()).instanceType(InstanceType.T3_MICRO)
                .minCount(1).maxCount(1)).instances().getFirst().instanceId();
        String amiA = ec2.createImage(b -> b.instanceId(builder).name("web-release-1")).imageId();
        String amiB = ec2.createImage(b -> b.instanceId(builder).name("web-release-2")).imageId();
        ec2.terminateInstances(b -> b.instanceIds(builder));

        String lt = ec2.createLaunchTemplate(b -> b.launchTemplateName("web-template")
                .launchTemplateData(d -> d.imageId(amiA).instanceType(InstanceType.T3_MICRO))).launchTemplate().launchTemplateId();
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(lt)
                .launchTemplateData(d -> d.imageId(amiB).instanceType(InstanceType.T3_MICRO)));
        String tg = elb.createTargetGroup(b -> b.name("web-tg").protocol(ProtocolEnum.HTTP).port(8080).vpcId(vpc)
                .targetType(TargetTypeEnum.INSTANCE)).targetGroups().getFirst().targetGroupArn();
        asg.createAutoScalingGroup(b -> b.autoScalingGroupName(GROUP).minSize(4).maxSize(8).desiredCapacity(4)
                .launchTemplate(l -> l.launchTemplateId(lt).version(groupVersion))
                .vpcZoneIdentifier(subnet).targetGroupARNs(tg));
        return new Fleet(lt, amiA, amiB, tg);
    }

    private static Filter f(String name, String value) { return Filter.builder().name(name).values(value).build(); }

    private static String startRefreshToVersion2(AutoScalingClient asg, Fleet fleet, Consumer<RefreshPreferences.Builder> prefs) {
        return asg.startInstanceRefresh(b -> b.autoScalingGroupName(GROUP)
                .desiredConfiguration(d -> d.launchTemplate(l -> l.launchTemplateId(fleet.templateId()).version("2")))
                .preferences(prefs)).instanceRefreshId();
    }

    private static InstanceRefresh describe(AutoScalingClient asg, String id) {
        return asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP).instanceRefreshIds(id)).instanceRefreshes().getFirst();
    }

    private static InstanceRefresh awaitRefresh(AutoScalingClient asg, String id, java.util.function.Predicate<InstanceRefresh> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        InstanceRefresh r = describe(asg, id);
        while (!done.test(r)) {
            assertThat(System.nanoTime()).as("refresh %s still %s: %s", id, r.status(), r.statusReason()).isLessThan(deadline);
            Thread.sleep(100);
            r = describe(asg, id);
        }
        return r;
    }

    private static InstanceRefresh awaitFinal(AutoScalingClient asg, String id) throws InterruptedException {
        return awaitRefresh(asg, id, r -> FINAL.contains(r.status()));
    }

    /** The AMI of every in-service instance of the group, by instance ID. */
    private static Map<String, String> groupImages(AutoScalingClient asg, Ec2Client ec2) {
        List<String> ids = asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(GROUP)).autoScalingGroups().getFirst()
                .instances().stream().map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId).toList();
        return ec2.describeInstances(b -> b.instanceIds(ids)).reservations().stream()
                .flatMap(r -> r.instances().stream())
                .collect(Collectors.toMap(software.amazon.awssdk.services.ec2.model.Instance::instanceId,
                        software.amazon.awssdk.services.ec2.model.Instance::imageId));
    }

    private static String groupVersion(AutoScalingClient asg) {
        return asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(GROUP)).autoScalingGroups().getFirst().launchTemplate().version();
    }

    private static Map<String, TargetHealthDescription> targetHealth(ElasticLoadBalancingV2Client elb, Fleet fleet) {
        return elb.describeTargetHealth(b -> b.targetGroupArn(fleet.targetGroupArn())).targetHealthDescriptions().stream()
                .collect(Collectors.toMap(t -> t.target().id(), t -> t));
    }

    @Test
    void refresh_replacesEveryInstance_andMovesGroupToDesiredVersion_whenNewImageHealthy(
            Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        Set<String> oldInstances = groupImages(asg, ec2).keySet();

        String id = startRefreshToVersion2(asg, fleet, p -> p.minHealthyPercentage(50).instanceWarmup(0));
        InstanceRefresh done = awaitFinal(asg, id);

        assertThat(done.status()).isEqualTo(InstanceRefreshStatus.SUCCESSFUL);
        assertThat(done.percentageComplete()).isEqualTo(100);
        assertThat(done.instancesToUpdate()).isZero();
        assertThat(done.endTime()).isNotNull();
        assertThat(done.preferences().minHealthyPercentage()).isEqualTo(50);
        assertThat(done.desiredConfiguration().launchTemplate().version()).isEqualTo("2");
        Map<String, String> images = groupImages(asg, ec2);
        assertThat(images).hasSize(4).doesNotContainKeys(oldInstances.toArray(String[]::new));
        assertThat(images.values()).containsOnly(fleet.amiB());
        assertThat(groupVersion(asg)).isEqualTo("2");
        // the load balancer sees the four new instances, healthy, and no longer the terminated ones
        Map<String, TargetHealthDescription> health = targetHealth(elb, fleet);
        assertThat(health.keySet()).containsExactlyInAnyOrderElementsOf(images.keySet());
        assertThat(health.values()).allSatisfy(t -> assertThat(t.targetHealth().state()).isEqualTo(TargetHealthStateEnum.HEALTHY));
    }

    @Test
    void refresh_waitsInstanceWarmup_beforeCountingABatch(LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg,
                                                          ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");

        // one batch of all four, then 300 s of warm-up (AWS time, on the local cloud's clock) before it counts
        String id = startRefreshToVersion2(asg, fleet, p -> p.minHealthyPercentage(0).instanceWarmup(300));
        InstanceRefresh done = awaitFinal(asg, id);

        assertThat(done.status()).isEqualTo(InstanceRefreshStatus.SUCCESSFUL);
        assertThat(Duration.between(done.startTime(), done.endTime()))
                .isGreaterThanOrEqualTo(cloud.clock().local(Duration.ofSeconds(300)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /**
     * MaxHealthyPercentage above 100 launches before it terminates: "your Auto Scaling group can only increase and
     * decrease capacity within that minimum-maximum range when replacing instances"
     * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-instance-maintenance-policy.html).
     * With 100/200 a 4-instance group is replaced in one batch: 4 new ones beside the 4 old, then the old retire.
     */
    @Test
    void refresh_withMaxHealthy200_launchesTheWholeBatchBeforeTerminating_andNeverLeavesTheRange(
            Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        Set<String> oldInstances = groupImages(asg, ec2).keySet();

        String id = startRefreshToVersion2(asg, fleet,
                p -> p.minHealthyPercentage(100).maxHealthyPercentage(200).instanceWarmup(300));
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        boolean oldAllInServiceAtPeak = false;
        InstanceRefresh r = describe(asg, id);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!FINAL.contains(r.status())) {
            assertThat(System.nanoTime()).as("refresh still %s", r.status()).isLessThan(deadline);
            Set<String> inService = asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(GROUP)).autoScalingGroups()
                    .getFirst().instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString()))
                    .map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId).collect(Collectors.toSet());
            fewest = Math.min(fewest, inService.size());
            if (inService.size() > most) {
                most = inService.size();
                oldAllInServiceAtPeak = inService.containsAll(oldInstances);
            }
            Thread.sleep(50);
            r = describe(asg, id);
        }

        assertThat(r.status()).isEqualTo(InstanceRefreshStatus.SUCCESSFUL);
        assertThat(r.preferences().minHealthyPercentage()).isEqualTo(100);
        assertThat(r.preferences().maxHealthyPercentage()).isEqualTo(200);
        assertThat(fewest).as("in service never below MinHealthyPercentage 100 of 4").isGreaterThanOrEqualTo(4);
        assertThat(most).as("one batch of four launched beside the old four (at most 200 of 4)").isEqualTo(8);
        assertThat(oldAllInServiceAtPeak).as("the old instances serve while their replacements warm up").isTrue();
        Map<String, String> images = groupImages(asg, ec2);
        assertThat(images).hasSize(4).doesNotContainKeys(oldInstances.toArray(String[]::new));
        assertThat(images.values()).containsOnly(fleet.amiB());
        assertThat(asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(GROUP)).autoScalingGroups().getFirst()
                .desiredCapacity()).isEqualTo(4);
        assertThat(targetHealth(elb, fleet).keySet()).containsExactlyInAnyOrderElementsOf(images.keySet());
    }

    @Test
    void refresh_withMaxHealthy200_thatFailsHealthChecks_neverTerminatesAnOldInstance(
            LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        Set<String> oldInstances = groupImages(asg, ec2).keySet();
        HealthModel.of(cloud).markUnhealthy(fleet.amiB());

        String id = startRefreshToVersion2(asg, fleet, p -> p.minHealthyPercentage(100).maxHealthyPercentage(200).instanceWarmup(0));
        InstanceRefresh done = awaitFinal(asg, id);

        assertThat(done.status()).isEqualTo(InstanceRefreshStatus.FAILED);
        assertThat(done.statusReason()).contains(fleet.amiB()).contains("failed its health checks");
        assertThat(groupVersion(asg)).isEqualTo("1");
        // the failed batch's new instances are gone and the old four never stopped serving
        Map<String, String> images = groupImages(asg, ec2);
        assertThat(images.keySet()).containsExactlyInAnyOrderElementsOf(oldInstances);
        assertThat(images.values()).containsOnly(fleet.amiA());
        assertThat(asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(GROUP)).autoScalingGroups().getFirst()
                .desiredCapacity()).isEqualTo(4);
    }

    @Test
    void startRefresh_refusesMaxHealthyWithoutMinHealthy_asAwsDoes(Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        // RefreshPreferences: "If you specify MaxHealthyPercentage, you must also specify MinHealthyPercentage"
        assertThatThrownBy(() -> startRefreshToVersion2(asg, fleet, p -> p.maxHealthyPercentage(150)))
                .isInstanceOf(AutoScalingException.class)
                .hasMessageContaining("MinHealthyPercentage");
        assertThatThrownBy(() -> startRefreshToVersion2(asg, fleet, p -> p.minHealthyPercentage(90).maxHealthyPercentage(201)))
                .isInstanceOf(AutoScalingException.class).hasMessageContaining("MaxHealthyPercentage");
        assertThat(asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP)).instanceRefreshes()).isEmpty();
    }

    @Test
    void bakeTime_keepsTheRefreshBaking_andAnAlarmInAlarmMeanwhile_rollsItBack_namingTheAlarm(
            LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        // an alarm the local cloud does not evaluate itself (another namespace): its state is what it is set to
        var cw = cloud.client(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.class);
        cw.putMetricAlarm(b -> b.alarmName("orders-errors").namespace("Shop").metricName("OrderErrors").statistic("Sum")
                .period(60).evaluationPeriods(1).threshold(1.0).comparisonOperator("GreaterThanOrEqualToThreshold"));

        // a refresh that replaces everything, then bakes for an hour (AWS time) watching that alarm
        String id = startRefreshToVersion2(asg, fleet, p -> p.minHealthyPercentage(100).maxHealthyPercentage(200)
                .instanceWarmup(0).autoRollback(true).bakeTime(3600).alarmSpecification(a -> a.alarms("orders-errors")));
        InstanceRefresh baking = awaitRefresh(asg, id, r -> "Baking".equals(r.statusAsString()) || FINAL.contains(r.status()));
        assertThat(baking.statusAsString()).as(baking.statusReason()).isEqualTo("Baking");
        assertThat(baking.percentageComplete()).isEqualTo(100);
        assertThat(groupImages(asg, ec2).values()).containsOnly(fleet.amiB());

        // when the alarm goes into ALARM during the bake
        cw.setAlarmState(b -> b.alarmName("orders-errors").stateValue("ALARM").stateReason("Threshold Crossed: orders failing"));
        InstanceRefresh done = awaitFinal(asg, id);

        // then AWS's auto rollback: back on the previous image, the reason naming the alarm and its own reason
        assertThat(done.statusAsString()).isEqualTo("RollbackSuccessful");
        assertThat(done.statusReason()).contains("CloudWatch alarm orders-errors went into ALARM state")
                .contains("Threshold Crossed: orders failing");
        assertThat(groupImages(asg, ec2).values()).hasSize(4).containsOnly(fleet.amiA());
        assertThat(groupVersion(asg)).isEqualTo("1");
        assertThat(done.preferences().bakeTime()).isEqualTo(3600);
        assertThat(done.preferences().alarmSpecification().alarms()).containsExactly("orders-errors");
    }

    @Test
    void bakeTime_outOfAwsRange_isRefused(Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        // RefreshPreferences: BakeTime "Valid Range: Minimum value of 0. Maximum value of 172800."
        assertThatThrownBy(() -> startRefreshToVersion2(asg, fleet, p -> p.bakeTime(172_801)))
                .isInstanceOf(AutoScalingException.class).hasMessageContaining("BakeTime");
        assertThat(asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP)).instanceRefreshes()).isEmpty();
    }

    @Test
    void startRefresh_isRefusedWithInstanceRefreshInProgress_whileAnotherRuns(
            Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        String first = startRefreshToVersion2(asg, fleet, p -> p.checkpointPercentages(25, 100).checkpointDelay(600).instanceWarmup(0));

        assertThatThrownBy(() -> startRefreshToVersion2(asg, fleet, p -> p.instanceWarmup(0)))
                .isInstanceOf(InstanceRefreshInProgressException.class)
                .satisfies(e -> assertThat(((AutoScalingException) e).awsErrorDetails().errorCode()).isEqualTo("InstanceRefreshInProgress"));
        assertThat(describe(asg, first).status()).isIn(InstanceRefreshStatus.PENDING, InstanceRefreshStatus.IN_PROGRESS);
        assertThat(asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP)).instanceRefreshes()).hasSize(1);
    }

    @Test
    void refresh_rollsBack_whenNewImageUnhealthy_andAutoRollbackOn(
            LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        HealthModel.of(cloud).markUnhealthy(fleet.amiB());

        String id = startRefreshToVersion2(asg, fleet, p -> p.minHealthyPercentage(50).instanceWarmup(0).autoRollback(true));
        InstanceRefresh done = awaitFinal(asg, id);

        assertThat(done.status()).isEqualTo(InstanceRefreshStatus.ROLLBACK_SUCCESSFUL);
        assertThat(done.rollbackDetails()).isNotNull();
        assertThat(done.rollbackDetails().rollbackReason()).contains("failed its health checks");
        assertThat(done.rollbackDetails().rollbackStartTime()).isNotNull();
        assertThat(done.percentageComplete()).isZero();
        Map<String, String> images = groupImages(asg, ec2);
        assertThat(images).hasSize(4);
        assertThat(images.values()).containsOnly(fleet.amiA());
        assertThat(groupVersion(asg)).isEqualTo("1");
    }

    @Test
    void refresh_fails_andKeepsGroupOnOldVersion_whenNewImageUnhealthy_withoutAutoRollback(
            LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        HealthModel.of(cloud).markUnhealthy(fleet.amiB());

        String id = startRefreshToVersion2(asg, fleet, p -> p.minHealthyPercentage(50).instanceWarmup(0));
        InstanceRefresh done = awaitFinal(asg, id);

        assertThat(done.status()).isEqualTo(InstanceRefreshStatus.FAILED);
        assertThat(done.statusReason()).contains(fleet.amiB()).contains("failed its health checks");
        assertThat(done.rollbackDetails()).isNull();
        assertThat(groupVersion(asg)).isEqualTo("1");
        // what was replaced stays replaced (AWS does not undo a failed refresh without rollback) ...
        Map<String, String> images = groupImages(asg, ec2);
        Set<String> onB = images.entrySet().stream().filter(e -> e.getValue().equals(fleet.amiB())).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(onB).hasSize(2);
        // ... and the load balancer reports exactly those instances unhealthy
        Map<String, TargetHealthDescription> health = targetHealth(elb, fleet);
        assertThat(health.keySet()).containsExactlyInAnyOrderElementsOf(images.keySet());
        health.forEach((instance, t) -> {
            if (onB.contains(instance)) {
                assertThat(t.targetHealth().state()).isEqualTo(TargetHealthStateEnum.UNHEALTHY);
                assertThat(t.targetHealth().reason()).isEqualTo(TargetHealthReasonEnum.TARGET_FAILED_HEALTH_CHECKS);
            } else {
                assertThat(t.targetHealth().state()).isEqualTo(TargetHealthStateEnum.HEALTHY);
            }
        });
    }

    @Test
    void cancel_stopsRefreshAtCheckpoint_withoutRollingBack(Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb)
            throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        String id = startRefreshToVersion2(asg, fleet, p -> p.checkpointPercentages(25, 100).checkpointDelay(600).instanceWarmup(0));
        InstanceRefresh atCheckpoint = awaitRefresh(asg, id, r -> r.percentageComplete() != null && r.percentageComplete() == 25);

        String cancelled = asg.cancelInstanceRefresh(b -> b.autoScalingGroupName(GROUP)).instanceRefreshId();
        InstanceRefresh done = awaitFinal(asg, id);

        assertThat(atCheckpoint.instancesToUpdate()).isEqualTo(3);
        assertThat(atCheckpoint.statusReason()).contains("Checkpoint 25%");
        assertThat(cancelled).isEqualTo(id);
        assertThat(done.status()).isEqualTo(InstanceRefreshStatus.CANCELLED);
        assertThat(groupVersion(asg)).isEqualTo("1");
        assertThat(groupImages(asg, ec2).values()).containsExactlyInAnyOrder(fleet.amiB(), fleet.amiA(), fleet.amiA(), fleet.amiA());
    }

    @Test
    void rollbackInstanceRefresh_restoresOldImage_whenCalledAtCheckpoint(
            Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        String id = startRefreshToVersion2(asg, fleet,
                p -> p.minHealthyPercentage(50).checkpointPercentages(50, 100).checkpointDelay(600).instanceWarmup(0));
        awaitRefresh(asg, id, r -> r.percentageComplete() != null && r.percentageComplete() == 50);

        String rolledBack = asg.rollbackInstanceRefresh(b -> b.autoScalingGroupName(GROUP)).instanceRefreshId();
        InstanceRefresh done = awaitFinal(asg, id);

        assertThat(rolledBack).isEqualTo(id);
        assertThat(done.status()).isEqualTo(InstanceRefreshStatus.ROLLBACK_SUCCESSFUL);
        assertThat(done.rollbackDetails().percentageCompleteOnRollback()).isEqualTo(50);
        assertThat(done.rollbackDetails().instancesToUpdateOnRollback()).isEqualTo(2);
        assertThat(groupImages(asg, ec2).values()).hasSize(4).containsOnly(fleet.amiA());
        assertThat(groupVersion(asg)).isEqualTo("1");
    }

    @Test
    void skipMatching_replacesNothing_whenEveryInstanceIsAlreadyOnTheDesiredImage(
            Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "2");
        Set<String> before = groupImages(asg, ec2).keySet();

        String id = startRefreshToVersion2(asg, fleet, p -> p.skipMatching(true).instanceWarmup(0));
        InstanceRefresh done = awaitFinal(asg, id);

        assertThat(done.status()).isEqualTo(InstanceRefreshStatus.SUCCESSFUL);
        assertThat(done.percentageComplete()).isEqualTo(100);
        assertThat(groupImages(asg, ec2).keySet()).isEqualTo(before);
    }

    @Test
    void autoRollback_isRefusedWithValidationError_whenGroupUsesLatest(
            Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) {
        Fleet fleet = givenFleet(ec2, asg, elb, "$Latest");

        assertThatThrownBy(() -> startRefreshToVersion2(asg, fleet, p -> p.autoRollback(true)))
                .isInstanceOf(AutoScalingException.class)
                .satisfies(e -> assertThat(((AutoScalingException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationError"))
                .hasMessageContaining("$Latest");
        assertThat(asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP)).instanceRefreshes()).isEmpty();
    }

    @Test
    void autoRollback_isRefusedWithValidationError_withoutDesiredConfiguration(
            Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) {
        givenFleet(ec2, asg, elb, "1");

        assertThatThrownBy(() -> asg.startInstanceRefresh(b -> b.autoScalingGroupName(GROUP).preferences(p -> p.autoRollback(true))))
                .isInstanceOf(AutoScalingException.class)
                .satisfies(e -> assertThat(((AutoScalingException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationError"))
                .hasMessageContaining("DesiredConfiguration");
    }

    @Test
    void cancelAndRollback_answerActiveInstanceRefreshNotFound_whenNothingRuns(
            Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        awaitFinal(asg, startRefreshToVersion2(asg, fleet, p -> p.instanceWarmup(0).minHealthyPercentage(0)));

        assertThatThrownBy(() -> asg.cancelInstanceRefresh(b -> b.autoScalingGroupName(GROUP)))
                .isInstanceOf(ActiveInstanceRefreshNotFoundException.class);
        assertThatThrownBy(() -> asg.rollbackInstanceRefresh(b -> b.autoScalingGroupName(GROUP)))
                .isInstanceOf(ActiveInstanceRefreshNotFoundException.class);
    }

    @Test
    void describeTargetHealth_followsTheHealthControlRoute(LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg,
                                                           ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        HttpClient http = HttpClient.newHttpClient();
        URI route = cloud.endpoint().resolve("/_local/health");

        HttpResponse<String> set = http.send(HttpRequest.newBuilder(route)
                .POST(HttpRequest.BodyPublishers.ofString("{\"unhealthyImageIds\":[\"" + fleet.amiA() + "\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, TargetHealthDescription> sick = targetHealth(elb, fleet);
        HttpResponse<String> shown = http.send(HttpRequest.newBuilder(route).GET().build(), HttpResponse.BodyHandlers.ofString());
        http.send(HttpRequest.newBuilder(route).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        Map<String, TargetHealthDescription> cured = targetHealth(elb, fleet);

        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains(fleet.amiA());
        assertThat(sick).hasSize(4);
        assertThat(sick.values()).allSatisfy(t -> {
            assertThat(t.targetHealth().state()).isEqualTo(TargetHealthStateEnum.UNHEALTHY);
            assertThat(t.targetHealth().reason()).isEqualTo(TargetHealthReasonEnum.TARGET_FAILED_HEALTH_CHECKS);
        });
        assertThat(cured.values()).allSatisfy(t -> assertThat(t.targetHealth().state()).isEqualTo(TargetHealthStateEnum.HEALTHY));
    }

    private static final String BROKEN_WAR_SHA256 = "b".repeat(64);

    /** Tags the AMI as the bake tags a release image: with the sha256 of the WAR baked into it. */
    private static void bakedWith(Ec2Client ec2, String imageId, String sha256) {
        ec2.createTags(b -> b.resources(imageId).tags(software.amazon.awssdk.services.ec2.model.Tag.builder()
                .key(HealthModel.ARTIFACT_TAG).value(sha256).build()));
    }

    @Test
    void instancesOfAnImageBakedWithAnUnhealthyArtifact_failTargetHealth(
            LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) {
        // given a fleet on AMI A, which carries a WAR the health model is told is broken, and an AMI B with another WAR
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        bakedWith(ec2, fleet.amiA(), BROKEN_WAR_SHA256);
        bakedWith(ec2, fleet.amiB(), "c".repeat(64));

        HealthModel.of(cloud).markArtifactUnhealthy(BROKEN_WAR_SHA256.toUpperCase());

        // then every instance of A is unhealthy, and the model lists the artifact (in lower case, as the bake tags it)
        assertThat(targetHealth(elb, fleet).values()).hasSize(4).allSatisfy(t -> {
            assertThat(t.targetHealth().state()).isEqualTo(TargetHealthStateEnum.UNHEALTHY);
            assertThat(t.targetHealth().reason()).isEqualTo(TargetHealthReasonEnum.TARGET_FAILED_HEALTH_CHECKS);
        });
        assertThat(HealthModel.of(cloud).unhealthyArtifacts()).containsExactly(BROKEN_WAR_SHA256);
        assertThat(HealthModel.of(cloud).isUnhealthy(fleet.amiB())).isFalse();
        assertThat(HealthModel.of(cloud).isUnhealthy("ami-00000000000000000")).isFalse();

        // and once it is healthy again, so are they
        HealthModel.of(cloud).markArtifactHealthy(BROKEN_WAR_SHA256);
        assertThat(targetHealth(elb, fleet).values()).allSatisfy(t ->
                assertThat(t.targetHealth().state()).isEqualTo(TargetHealthStateEnum.HEALTHY));
    }

    @Test
    void refreshToAnImageBakedWithAnUnhealthyArtifact_rollsBack_whenMarkedOverTheControlRoute(
            LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) throws Exception {
        // given the new AMI B carries a WAR marked broken through POST /_local/health (as the demo does)
        Fleet fleet = givenFleet(ec2, asg, elb, "1");
        bakedWith(ec2, fleet.amiB(), BROKEN_WAR_SHA256);
        HttpClient http = HttpClient.newHttpClient();
        URI route = cloud.endpoint().resolve("/_local/health");
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(route).POST(HttpRequest.BodyPublishers.ofString(
                "{\"unhealthyArtifacts\":[\"" + BROKEN_WAR_SHA256 + "\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(route).POST(HttpRequest.BodyPublishers.ofString(
                "{\"unhealthyArtifacts\":[\"not-a-sha\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> shown = http.send(HttpRequest.newBuilder(route).GET().build(), HttpResponse.BodyHandlers.ofString());

        // when the group is refreshed to B with AutoRollback
        String id = startRefreshToVersion2(asg, fleet, p -> p.minHealthyPercentage(50).instanceWarmup(0).autoRollback(true));
        InstanceRefresh done = awaitFinal(asg, id);

        // then the refresh rolled back, naming B, and every instance is on A again
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(shown.body()).contains("\"unhealthyArtifacts\":[\"" + BROKEN_WAR_SHA256 + "\"]").contains("\"unhealthyImageIds\":[]");
        assertThat(done.status()).isEqualTo(InstanceRefreshStatus.ROLLBACK_SUCCESSFUL);
        assertThat(done.rollbackDetails().rollbackReason()).contains(fleet.amiB()).contains("failed its health checks");
        assertThat(groupImages(asg, ec2).values()).hasSize(4).containsOnly(fleet.amiA());
        assertThat(groupVersion(asg)).isEqualTo("1");
    }

    @Test
    void reset_stopsRunningRefreshes_andForgetsThem(LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg,
                                                   ElasticLoadBalancingV2Client elb) throws Exception {
        Fleet parked = givenFleet(ec2, asg, elb, "1");
        String id = startRefreshToVersion2(asg, parked, p -> p.checkpointPercentages(25, 100).checkpointDelay(600).instanceWarmup(0));
        awaitRefresh(asg, id, r -> r.percentageComplete() != null && r.percentageComplete() == 25);
        HealthModel.of(cloud).markUnhealthy(parked.amiB());

        cloud.reset();
        Fleet fresh = givenFleet(ec2, asg, elb, "1");
        String next = startRefreshToVersion2(asg, fresh, p -> p.minHealthyPercentage(0).instanceWarmup(0));

        assertThat(awaitFinal(asg, next).status()).isEqualTo(InstanceRefreshStatus.SUCCESSFUL);
        assertThat(asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP)).instanceRefreshes())
                .extracting(InstanceRefresh::instanceRefreshId).containsExactly(next);
        assertThat(HealthModel.of(cloud).unhealthyImageIds()).isEmpty();
    }

    @Test
    void healthControlRoute_refusesAMalformedBody(LocalCloud cloud) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(cloud.endpoint().resolve("/_local/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"unhealthy\":\"ami-1\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("unhealthyImageIds");
    }
}
