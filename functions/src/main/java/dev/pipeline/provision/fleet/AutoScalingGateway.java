package dev.pipeline.provision.fleet;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AlreadyExistsException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.ResourceInUseException;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityInProgressException;
import software.amazon.awssdk.services.autoscaling.model.Tag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** EC2 Auto Scaling for the fleet and verify stages; the only class importing Auto Scaling SDK types. */
public class AutoScalingGateway {
    private final AutoScalingClient asg;

    public AutoScalingGateway(AutoScalingClient asg) {
        this.asg = asg;
    }

    /** The group, including one whose deletion is in progress. */
    public Optional<GroupView> find(String name) {
        return asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups().stream()
                .findFirst().map(AutoScalingGateway::view);
    }

    /**
     * Creates the group; false when a group of that name already exists (AlreadyExists: an earlier attempt of
     * this stage created it after our describe, e.g. a Lambda that timed out after the call went through).
     */
    public boolean create(GroupSettings s) {
        List<Tag> tags = new ArrayList<>();
        s.propagatedTags().forEach((k, v) -> tags.add(tag(s.name(), k, v, true)));
        s.groupOnlyTags().forEach((k, v) -> tags.add(tag(s.name(), k, v, false)));
        try {
            asg.createAutoScalingGroup(b -> b.autoScalingGroupName(s.name())
                    .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(s.launchTemplateId())
                        .version(s.launchTemplateVersion()).build())
                    .minSize(s.min()).maxSize(s.max()).desiredCapacity(s.desired())
                    .vpcZoneIdentifier(String.join(",", s.subnets()))
                    .targetGroupARNs(s.targetGroupArns())
                    .healthCheckType(s.healthCheckType()).healthCheckGracePeriod(s.healthCheckGracePeriod())
                    .terminationPolicies(s.terminationPolicies())
                    .tags(tags));
            return true;
        } catch (AlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Updates what is given (null = leave as is). Min, max and desired go in one call, because AWS checks
     * min <= desired <= max against the result.
     */
    public void update(String name, Integer min, Integer max, Integer desired, String healthCheckType, Integer grace,
                       String launchTemplateId, String launchTemplateVersion) {
        asg.updateAutoScalingGroup(b -> {
            b.autoScalingGroupName(name).minSize(min).maxSize(max).desiredCapacity(desired)
                    .healthCheckType(healthCheckType).healthCheckGracePeriod(grace);
            if (launchTemplateVersion != null) {
                b.launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(launchTemplateId)
                        .version(launchTemplateVersion).build());
            }
        });
    }

    public void attachTargetGroups(String name, List<String> targetGroupArns) {
        asg.attachLoadBalancerTargetGroups(b -> b.autoScalingGroupName(name).targetGroupARNs(targetGroupArns));
    }

    public void tag(String name, Map<String, String> tags, boolean propagate) {
        asg.createOrUpdateTags(b -> b.tags(tags.entrySet().stream()
                .map(e -> tag(name, e.getKey(), e.getValue(), propagate)).toList()));
    }

    /** What a delete request found. */
    public enum Deletion { STARTED, NOT_FOUND, BUSY }

    /**
     * Deletes the group and, with ForceDelete, terminates its instances (the call returns at once; the group is
     * listed with status "Delete in progress" until they are gone). Auto Scaling answers a missing group with a
     * generic ValidationError, told apart by its message; a scaling activity in progress means "try later".
     */
    public Deletion forceDelete(String name) {
        try {
            asg.deleteAutoScalingGroup(b -> b.autoScalingGroupName(name).forceDelete(true));
            return Deletion.STARTED;
        } catch (ScalingActivityInProgressException | ResourceInUseException e) {
            return Deletion.BUSY;
        } catch (AutoScalingException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("ValidationError".equals(code) && String.valueOf(e.awsErrorDetails().errorMessage()).contains("not found")) {
                return Deletion.NOT_FOUND;
            }
            throw e;
        }
    }

    private static Tag tag(String group, String key, String value, boolean propagate) {
        return Tag.builder().resourceId(group).resourceType("auto-scaling-group").key(key).value(value)
                .propagateAtLaunch(propagate).build();
    }

    private static GroupView view(AutoScalingGroup g) {
        Map<String, String> tags = new LinkedHashMap<>();
        g.tags().forEach(t -> tags.put(t.key(), t.value()));
        List<String> subnets = g.vpcZoneIdentifier() == null || g.vpcZoneIdentifier().isBlank() ? List.of()
                : Arrays.stream(g.vpcZoneIdentifier().split(",")).map(String::trim).toList();
        LaunchTemplateSpecification lt = g.launchTemplate();
        return new GroupView(g.autoScalingGroupName(), lt == null ? null : lt.launchTemplateId(),
                lt == null ? null : lt.version(), nz(g.minSize()), nz(g.maxSize()), nz(g.desiredCapacity()), subnets,
                g.targetGroupARNs(), g.healthCheckType(), nz(g.healthCheckGracePeriod()), g.status(),
                g.instances().stream().map(i -> new GroupView.GroupInstance(i.instanceId(), i.lifecycleStateAsString(),
                        i.healthStatus())).toList(),
                tags);
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
