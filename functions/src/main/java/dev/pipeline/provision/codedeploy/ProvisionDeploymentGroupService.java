package dev.pipeline.provision.codedeploy;

import dev.pipeline.functions.RetryableException;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * ProvisionDeploymentGroup: the CodeDeploy application named after the environment and its deployment group
 * {@code <env>-fleet} ({@link DeploymentGroupNames}), which in-place releases deploy to. Found by name (unique per
 * account and region); a missing one is created, an existing group that differs from {@link DeploymentGroupSettings}
 * is updated, one that matches is left alone. Runs after ProvisionAutoScalingGroup: CodeDeploy refuses a group whose
 * Auto Scaling group does not exist.
 * <p>
 * Ownership is by name only: the local cloud keeps no CodeDeploy tags and reading them takes
 * {@code codedeploy:ListTagsForResource}; the application carries the environment's name, so another environment's
 * cannot collide with it.
 */
public class ProvisionDeploymentGroupService {
    private final CodeDeployGateway codeDeploy;
    private final String serviceRoleArn;

    /** @param serviceRoleArn the role CodeDeploy acts as (template.yaml's CodeDeployServiceRole) */
    public ProvisionDeploymentGroupService(CodeDeployGateway codeDeploy, String serviceRoleArn) {
        this.codeDeploy = codeDeploy;
        this.serviceRoleArn = serviceRoleArn;
    }

    public ProvisionDeploymentGroupOutput provision(ProvisionDeploymentGroupInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        StageInputs.require(input.fleet() == null ? null : input.fleet().groupName(), "$.fleet.groupName",
                "ProvisionAutoScalingGroup");
        DeploymentGroupSettings want = DeploymentGroupSettings.of(spec, serviceRoleArn);
        List<String> changes = new ArrayList<>();

        if (!codeDeploy.applicationExists(want.application())) {
            if (codeDeploy.createApplication(want.application(), want.tags())) {
                changes.add("created CodeDeploy application " + want.application());
            }
        }
        var found = codeDeploy.findGroup(want.application(), want.group());
        if (found.isEmpty()) {
            if (!codeDeploy.createGroup(want)) {
                throw new RetryableException("deployment group " + want.group()
                        + " appeared between describe and create (an earlier attempt made it); the retry converges it");
            }
            changes.add("created deployment group " + want.group() + " (" + want.config() + ", Auto Scaling group "
                    + want.autoScalingGroups() + ", target group " + want.targetGroups() + ", rolls back on "
                    + new java.util.TreeSet<>(want.rollbackEvents()) + " and alarms " + want.alarms() + ")");
        } else {
            List<String> differences = want.differences(found.get());
            if (!differences.isEmpty()) {
                codeDeploy.updateGroup(want);
                differences.forEach(d -> changes.add("deployment group " + want.group() + " " + d));
            }
        }
        DeploymentGroupView group = codeDeploy.findGroup(want.application(), want.group()).orElseThrow(() ->
                new RetryableException("deployment group " + want.group() + " was created but is not described yet"));
        return new ProvisionDeploymentGroupOutput(want.application(), group.group(), group.id(), group.config(), changes);
    }
}
