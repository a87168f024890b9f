package dev.pipeline.provision.fleet;

import dev.pipeline.functions.RetryableException;
import dev.pipeline.functions.Run;
import dev.pipeline.provision.Ownership;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ProvisionAutoScalingGroup: the group {@code <env>-app} of app servers across the app subnets, behind the target
 * group, on a numbered launch template version. Found by name (unique per account and region); an existing group
 * is converged (see {@link GroupUpdate}); {@code ready} once at least the desired number of instances are
 * InService, which the workflow waits for.
 */
public class ProvisionAutoScalingGroupService {

    static final String COMPONENT = "asg";
    /** ELB: an instance whose Tomcat fails the target group's health check is replaced, not only a dead VM. */
    static final String HEALTH_CHECK_TYPE = "ELB";
    /**
     * Seconds after launch before a failing ELB health check counts. ELB starts checking at registration, while
     * the instance still boots and Tomcat deploys the WAR (a minute or two on a small instance), then needs
     * {@code healthyThreshold} passing checks; without a grace period (the API default is 0) Auto Scaling would
     * replace instances that were about to become healthy. 300 s is the console's default and the spec's default
     * instance warm-up.
     */
    static final int HEALTH_CHECK_GRACE_SECONDS = 300;
    /**
     * After AZ balance (always first), scale-in removes instances of the oldest launch template version first,
     * so a group left mixed by an interrupted deploy sheds old releases; then AWS's default order.
     */
    static final List<String> TERMINATION_POLICIES = List.of("OldestLaunchTemplate", "Default");

    private final AutoScalingGateway asg;

    public ProvisionAutoScalingGroupService(AutoScalingGateway asg) {
        this.asg = asg;
    }

    public ProvisionAutoScalingGroupOutput provision(ProvisionAutoScalingGroupInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        Run run = StageInputs.require(input.run(), "$.run", "Prepare");
        var lt = StageInputs.require(input.launchTemplate(), "$.launchTemplate", "ProvisionLaunchTemplate");
        StageInputs.require(lt.launchTemplateId(), "$.launchTemplate.launchTemplateId", "ProvisionLaunchTemplate");
        StageInputs.require(lt.version(), "$.launchTemplate.version", "ProvisionLaunchTemplate");
        String tgArn = StageInputs.require(input.loadBalancer() == null ? null : input.loadBalancer().targetGroupArn(),
                "$.loadBalancer.targetGroupArn", "ProvisionLoadBalancer");
        GroupSettings want = settings(spec, lt.launchTemplateId(), Long.toString(lt.version()), tgArn);
        List<String> changes = new ArrayList<>();

        Optional<GroupView> found = asg.find(want.name());
        if (found.isPresent() && found.get().deleting()) {
            // A teardown is still removing it; once it is gone the next call creates the group afresh.
            run.checkDeadline("the deletion of the previous group " + want.name());
            return new ProvisionAutoScalingGroupOutput(false, want.name(), null, 0, want.desired(),
                    List.of("group " + want.name() + " is still being deleted by a teardown; waiting to create it again"));
        }
        if (found.isEmpty()) {
            if (!asg.create(want)) {
                throw new RetryableException("Auto Scaling group " + want.name()
                        + " appeared between describe and create (an earlier attempt made it); the retry converges it");
            }
            changes.add("created group " + want.name() + " (" + want.min() + ".." + want.max() + ", desired "
                    + want.desired() + ") on launch template version " + want.launchTemplateVersion());
        } else {
            GroupView have = found.get();
            Ownership.requireOurs(spec, "Auto Scaling group", want.name(), have.tags());
            GroupUpdate update = GroupUpdate.plan(have, want);
            if (update.updatesGroup()) {
                asg.update(want.name(), update.min(), update.max(), update.desired(), update.healthCheckType(),
                        update.healthCheckGracePeriod(), update.launchTemplateId(), update.launchTemplateVersion());
            }
            if (!update.attachTargetGroups().isEmpty()) asg.attachTargetGroups(want.name(), update.attachTargetGroups());
            changes.addAll(update.changes());
            Map<String, String> propagated = Ownership.missing(want.propagatedTags(), have.tags());
            Map<String, String> groupOnly = Ownership.missing(want.groupOnlyTags(), have.tags());
            if (!propagated.isEmpty()) asg.tag(want.name(), propagated, true);
            if (!groupOnly.isEmpty()) asg.tag(want.name(), groupOnly, false);
            if (!propagated.isEmpty()) changes.add("tagged " + propagated + " (propagated to new instances)");
            if (!groupOnly.isEmpty()) changes.add("tagged " + groupOnly);
            if (update.launchTemplateVersion() == null && have.launchTemplateVersion() != null
                    && !have.launchTemplateVersion().equals(want.launchTemplateVersion())) {
                changes.add("the group launches from version " + have.launchTemplateVersion() + "; version "
                        + want.launchTemplateVersion() + " is rolled out by an instance refresh (the deploy workflow), not here");
            }
        }

        GroupView group = asg.find(want.name()).orElseThrow(() -> new RetryableException(
                "Auto Scaling group " + want.name() + " was created but is not described yet"));
        boolean ready = group.inService() >= group.desired();
        if (!ready) run.checkDeadline(group.desired() + " in-service instances in group " + want.name());
        return new ProvisionAutoScalingGroupOutput(ready, group.name(), group.launchTemplateVersion(),
                (int) group.inService(), group.desired(), changes);
    }

    static GroupSettings settings(EnvironmentSpec spec, String launchTemplateId, String version, String targetGroupArn) {
        String name = spec.resourceName(Role.APP.key());
        Map<String, String> propagated = new LinkedHashMap<>(Ownership.tags(spec, COMPONENT, name));
        propagated.remove(EnvironmentSpec.TAG_COMPONENT);
        Map<String, String> groupOnly = Map.of(EnvironmentSpec.TAG_COMPONENT, COMPONENT);
        return new GroupSettings(name, launchTemplateId, version,
                spec.fleet().min(), spec.fleet().max(), spec.fleet().desired(),
                spec.network().appSubnets(), List.of(targetGroupArn), HEALTH_CHECK_TYPE, HEALTH_CHECK_GRACE_SECONDS,
                TERMINATION_POLICIES, propagated, groupOnly);
    }
}
