package dev.pipeline.provision.fleet;

import dev.pipeline.provision.StageInputs;
import dev.pipeline.provision.codedeploy.CodeDeployGateway;
import dev.pipeline.provision.codedeploy.DeploymentGroupNames;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TeardownFleet, "converge to absent": first the CodeDeploy deployment group {@code <env>-fleet} and application
 * {@code <env>} ({@link DeploymentGroupNames}; deleting the group removes the lifecycle hook CodeDeploy put on the Auto
 * Scaling group, and no deployment can start on instances that are going), then force-deletes the group {@code <env>-app} (which terminates its instances),
 * answers {@code ready: false} while the group is still listed (AWS keeps it "Delete in progress" until its
 * instances are gone), and only then deletes the launch template {@code <env>-app}. Resources with our name but
 * without our environment tag are someone else's and are left alone.
 */
public class TeardownFleetService {
    private final AutoScalingGateway asg;
    private final LaunchTemplateGateway ec2;
    private final CodeDeployGateway codeDeploy;

    public TeardownFleetService(AutoScalingGateway asg, LaunchTemplateGateway ec2, CodeDeployGateway codeDeploy) {
        this.asg = asg;
        this.ec2 = ec2;
        this.codeDeploy = codeDeploy;
    }

    public TeardownFleetOutput teardown(TeardownFleetInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        String name = spec.resourceName(Role.APP.key());
        List<String> deleted = new ArrayList<>();

        // Named after the environment, so ours by name (CodeDeploy tags are not read: see ProvisionDeploymentGroupService)
        String application = DeploymentGroupNames.application(spec);
        if (codeDeploy.deleteGroup(application, DeploymentGroupNames.group(spec))) {
            deleted.add("CodeDeploy deployment group " + DeploymentGroupNames.group(spec));
        }
        if (codeDeploy.deleteApplication(application)) deleted.add("CodeDeploy application " + application);

        Optional<GroupView> group = asg.find(name).filter(g -> ours(spec, g.tags()));
        if (group.isPresent()) {
            String waiting;
            if (group.get().deleting()) {
                waiting = "group " + name + " is being deleted (its instances are terminating)";
            } else {
                waiting = switch (asg.forceDelete(name)) {
                    case STARTED -> {
                        deleted.add("Auto Scaling group " + name + " and its " + group.get().instances().size() + " instances");
                        yield "group " + name + " is being deleted (its instances are terminating)";
                    }
                    case BUSY -> "group " + name + " has a scaling activity in progress; deleting it on the next try";
                    case NOT_FOUND -> null;
                };
            }
            // The launch template goes only once the group is gone: should the group's deletion stall or be undone,
            // a group without its template could no longer replace a failed instance.
            if (waiting != null && asg.find(name).isPresent()) {
                StageInputs.require(input.run(), "$.run", "Prepare").checkDeadline("the deletion of Auto Scaling group " + name);
                return new TeardownFleetOutput(false, deleted, List.of(waiting));
            }
        }

        ec2.findTemplate(name).filter(t -> ours(spec, t.tags())).ifPresent(t -> {
            if (ec2.delete(t.id())) deleted.add("launch template " + name + " (" + t.latestVersion() + " versions)");
        });
        return new TeardownFleetOutput(true, deleted, List.of());
    }

    private static boolean ours(EnvironmentSpec spec, Map<String, String> tags) {
        return spec.name().equals(tags.get(EnvironmentSpec.TAG_ENVIRONMENT));
    }
}
