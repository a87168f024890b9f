package dev.pipeline.local.refresh;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The moto primitives an instance refresh is built on, called on moto's own endpoint (not through the
 * gateway, so fault rules and call counters see only what clients do). Thread-safe; holds two SDK clients.
 */
final class MotoAutoScaling implements AutoCloseable {
    private final AutoScalingClient autoscaling;
    private final Ec2Client ec2;
    private final software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch;

    /** A group as the refresh needs it. {@code launchTemplate} is null for launch-configuration groups. */
    record Group(String name, LaunchTemplateSpec launchTemplate, boolean mixedInstancesPolicy,
                 String launchConfigurationName, List<String> inServiceInstanceIds, int desiredCapacity) {}

    /** What DescribeInstances says of one instance. */
    record InstanceFacts(String instanceId, String imageId, String state) {
        boolean gone() { return "terminated".equals(state) || "shutting-down".equals(state); }
    }

    MotoAutoScaling(URI motoEndpoint) {
        // moto's own endpoint, the operator's credentials: what the local cloud itself reads is never subject to IAM
        this.autoscaling = dev.pipeline.local.LocalClients.create(AutoScalingClient.class, motoEndpoint);
        this.ec2 = dev.pipeline.local.LocalClients.create(Ec2Client.class, motoEndpoint);
        this.cloudWatch = dev.pipeline.local.LocalClients.create(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.class, motoEndpoint);
    }

    /**
     * The first of the named alarms in ALARM, as "CloudWatch alarm NAME went into ALARM state: REASON", or empty. The
     * local cloud's {@link dev.pipeline.local.cloudwatch.AlarmEvaluator} keeps their states current in moto.
     */
    Optional<String> alarmInAlarm(List<String> names) {
        if (names.isEmpty()) return Optional.empty();
        return cloudWatch.describeAlarms(b -> b.alarmNames(names)).metricAlarms().stream()
                .filter(a -> "ALARM".equals(a.stateValueAsString()))
                .findFirst()
                .map(a -> "CloudWatch alarm " + a.alarmName() + " went into ALARM state: " + a.stateReason());
    }

    /** The group, or null when moto does not know it. */
    Group group(String name) {
        List<AutoScalingGroup> groups = autoscaling.describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups();
        if (groups.isEmpty()) return null;
        AutoScalingGroup g = groups.getFirst();
        LaunchTemplateSpecification lt = g.launchTemplate();
        List<String> inService = g.instances().stream()
                .filter(i -> "InService".equals(i.lifecycleStateAsString()))
                .map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId)
                .toList();
        return new Group(g.autoScalingGroupName(),
                lt == null ? null : new LaunchTemplateSpec(lt.launchTemplateId(), lt.launchTemplateName(), lt.version()),
                g.mixedInstancesPolicy() != null,
                g.launchConfigurationName(),
                inService,
                g.desiredCapacity() == null ? inService.size() : g.desiredCapacity());
    }

    /** The group; an IllegalStateException (the refresh ends Failed with this reason) when it was deleted meanwhile. */
    Group requireGroup(String name) {
        Group g = group(name);
        if (g == null) throw new IllegalStateException("The Auto Scaling group " + name + " no longer exists.");
        return g;
    }

    /**
     * Image and state per instance, from DescribeInstances. moto reports an ASG instance's launch template
     * version wrongly (always the template's current default), so the image is the only trustworthy
     * "which configuration is this instance on". An instance-id filter, not InstanceIds, so an ID moto has
     * forgotten is left out instead of failing the whole call.
     */
    Map<String, InstanceFacts> instances(Collection<String> ids) {
        Map<String, InstanceFacts> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        List<String> all = new ArrayList<>(new LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += 200) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 200));
            ec2.describeInstancesPaginator(b -> b.filters(Filter.builder().name("instance-id").values(chunk).build()))
                    .reservations().forEach(r -> r.instances().forEach(i ->
                            out.put(i.instanceId(), new InstanceFacts(i.instanceId(), i.imageId(), i.state().nameAsString()))));
        }
        return out;
    }

    /** The image's {@link HealthModel#ARTIFACT_TAG} tag; empty when it has none or moto does not know the image. */
    Optional<String> artifactOf(String imageId) {
        try {
            return ec2.describeImages(b -> b.imageIds(imageId)).images().stream().findFirst()
                    .flatMap(i -> i.tags().stream().filter(t -> HealthModel.ARTIFACT_TAG.equals(t.key())).findFirst())
                    .map(t -> t.value());
        } catch (AwsServiceException e) {
            // InvalidAMIID.NotFound / .Malformed: not an image, so not one of a marked artifact
            return Optional.empty();
        }
    }

    /** The AMI a launch template version launches. */
    String imageOf(LaunchTemplateSpec spec) {
        String version = spec.version() == null ? "$Default" : spec.version();
        List<LaunchTemplateVersion> versions;
        try {
            versions = ec2.describeLaunchTemplateVersions(b -> {
                if (spec.launchTemplateId() != null) b.launchTemplateId(spec.launchTemplateId());
                else b.launchTemplateName(spec.launchTemplateName());
                b.versions(version);
            }).launchTemplateVersions();
        } catch (AwsServiceException e) {
            throw RefreshApiException.validation("The launch template " + spec + " was not found: " + e.awsErrorDetails().errorMessage());
        }
        if (versions.isEmpty() || versions.getFirst().launchTemplateData() == null) {
            throw RefreshApiException.validation("The launch template " + spec + " was not found.");
        }
        return versions.getFirst().launchTemplateData().imageId();
    }

    /** The AMI a launch configuration launches. */
    String imageOfLaunchConfiguration(String name) {
        var lcs = autoscaling.describeLaunchConfigurations(b -> b.launchConfigurationNames(name)).launchConfigurations();
        return lcs.isEmpty() ? null : lcs.getFirst().imageId();
    }

    /** Points the group at a launch template version: moto launches every later replacement from it. */
    void pointGroupAt(String groupName, LaunchTemplateSpec spec) {
        autoscaling.updateAutoScalingGroup(b -> b.autoScalingGroupName(groupName).launchTemplate(l -> {
            // moto refuses id and name together (as AWS does)
            if (spec.launchTemplateId() != null) l.launchTemplateId(spec.launchTemplateId());
            else l.launchTemplateName(spec.launchTemplateName());
            if (spec.version() != null) l.version(spec.version());
        }));
    }

    /**
     * Replaces instances the way Auto Scaling's own health replacement does: TerminateInstanceInAutoScalingGroup
     * without decrementing, which makes moto launch the replacement within the call, from the group's current
     * launch template version. Returns the IDs of the new instances.
     */
    /**
     * Launches {@code count} instances beside the group's, from its current launch template version: moto's
     * SetDesiredCapacity launches within the call (and, unlike AWS, does not hold it to MaxSize, which an instance
     * refresh with MaxHealthyPercentage above 100 may pass). Returns the IDs of the new instances.
     */
    List<String> launchBeside(String groupName, int count) {
        Group group = requireGroup(groupName);
        Set<String> before = new LinkedHashSet<>(group.inServiceInstanceIds());
        autoscaling.setDesiredCapacity(b -> b.autoScalingGroupName(groupName)
                .desiredCapacity(group.desiredCapacity() + count).honorCooldown(false));
        List<String> fresh = new ArrayList<>();
        for (String id : requireGroup(groupName).inServiceInstanceIds()) if (!before.contains(id)) fresh.add(id);
        return fresh;
    }

    /** Terminates instances and lowers the desired capacity by as many: the end of a launch-before-terminate batch. */
    void retire(List<String> instanceIds) {
        for (String id : instanceIds) {
            autoscaling.terminateInstanceInAutoScalingGroup(b -> b.instanceId(id).shouldDecrementDesiredCapacity(true));
        }
    }

    List<String> replace(String groupName, List<String> instanceIds) {
        Set<String> before = new LinkedHashSet<>(requireGroup(groupName).inServiceInstanceIds());
        for (String id : instanceIds) {
            autoscaling.terminateInstanceInAutoScalingGroup(b -> b.instanceId(id).shouldDecrementDesiredCapacity(false));
        }
        Group after = requireGroup(groupName);
        List<String> fresh = new ArrayList<>();
        for (String id : after.inServiceInstanceIds()) if (!before.contains(id)) fresh.add(id);
        return fresh;
    }

    @Override
    public void close() {
        autoscaling.close();
        ec2.close();
        cloudWatch.close();
    }
}
