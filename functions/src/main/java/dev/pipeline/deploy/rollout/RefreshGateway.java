package dev.pipeline.deploy.rollout;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.RefreshStrategy;

import dev.pipeline.spec.Deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** EC2 Auto Scaling groups and instance refreshes for the rollout stages; the only rollout class importing Auto Scaling SDK types. */
public class RefreshGateway {

    /** The group as the rollout needs it: its launch template and its instances. */
    public record Group(String name, String launchTemplateId, String launchTemplateVersion, List<Member> instances) {
        public List<String> inServiceIds() {
            return instances.stream().filter(m -> "InService".equals(m.lifecycleState())).map(Member::instanceId).toList();
        }
    }

    /** One instance of the group. */
    public record Member(String instanceId, String lifecycleState) {
    }

    /** Thrown when another refresh is active on the group (AWS: InstanceRefreshInProgress). */
    public static final class RefreshInProgress extends RuntimeException {
        public RefreshInProgress(String message) {
            super(message);
        }
    }

    private final AutoScalingClient asg;

    public RefreshGateway(AutoScalingClient asg) {
        this.asg = asg;
    }

    public Optional<Group> group(String name) {
        return asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups().stream().findFirst()
                .map(RefreshGateway::view);
    }

    /** The group's refreshes, newest first (paged). */
    public List<Refresh> refreshes(String group) {
        List<Refresh> out = new ArrayList<>();
        asg.describeInstanceRefreshesPaginator(b -> b.autoScalingGroupName(group))
                .forEach(page -> page.instanceRefreshes().forEach(r -> out.add(view(r))));
        return out;
    }

    /**
     * Starts a rolling refresh to {@code templateId}/{@code version}. AWS offers rollback only when both the group
     * and the desired configuration name a numbered version, so callers pass numbers only. {@code alarms} go into
     * the AlarmSpecification: with AutoRollback, AWS rolls the refresh back "if any CloudWatch alarms you specify go
     * into the ALARM state" (user guide, instance-refresh-rollback), during the refresh and its BakeTime.
     */
    public String start(String group, String templateId, long version, Deployment deployment, List<String> alarms,
                        boolean autoRollback) {
        try {
            return asg.startInstanceRefresh(b -> b.autoScalingGroupName(group).strategy(RefreshStrategy.ROLLING)
                    .desiredConfiguration(d -> d.launchTemplate(LaunchTemplateSpecification.builder()
                            .launchTemplateId(templateId).version(Long.toString(version)).build()))
                    .preferences(p -> {
                        p.minHealthyPercentage(deployment.minHealthyPercentage())
                                .maxHealthyPercentage(deployment.maxHealthyPercentage())
                                .instanceWarmup(deployment.instanceWarmupSeconds())
                                .bakeTime(deployment.bakeTimeSeconds())
                                .skipMatching(true).autoRollback(autoRollback);
                        if (!alarms.isEmpty()) p.alarmSpecification(a -> a.alarms(alarms));
                    })).instanceRefreshId();
        } catch (InstanceRefreshInProgressException e) {
            throw new RefreshInProgress(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
        }
    }

    /** Cancels the group's active refresh; one that has already ended (ActiveInstanceRefreshNotFound) needs nothing. */
    public void cancel(String group) {
        try {
            asg.cancelInstanceRefresh(b -> b.autoScalingGroupName(group));
        } catch (software.amazon.awssdk.services.autoscaling.model.ActiveInstanceRefreshNotFoundException e) {
            // ended on its own meanwhile
        }
    }

    /** Points the group at a numbered version (new launches use it; running instances are left alone). */
    public void setGroupVersion(String group, String templateId, long version) {
        asg.updateAutoScalingGroup(b -> b.autoScalingGroupName(group).launchTemplate(LaunchTemplateSpecification.builder()
                .launchTemplateId(templateId).version(Long.toString(version)).build()));
    }

    private static Group view(AutoScalingGroup g) {
        LaunchTemplateSpecification lt = g.launchTemplate();
        return new Group(g.autoScalingGroupName(), lt == null ? null : lt.launchTemplateId(), lt == null ? null : lt.version(),
                g.instances().stream().map(i -> new Member(i.instanceId(), i.lifecycleStateAsString())).toList());
    }

    private static Refresh view(InstanceRefresh r) {
        String templateId = null;
        String version = null;
        if (r.desiredConfiguration() != null && r.desiredConfiguration().launchTemplate() != null) {
            templateId = r.desiredConfiguration().launchTemplate().launchTemplateId();
            version = r.desiredConfiguration().launchTemplate().version();
        }
        return new Refresh(r.instanceRefreshId(), r.statusAsString(), r.percentageComplete() == null ? 0 : r.percentageComplete(),
                r.statusReason(), templateId, version, r.startTime());
    }
}
