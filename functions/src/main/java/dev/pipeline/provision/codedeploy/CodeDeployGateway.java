package dev.pipeline.provision.codedeploy;

import dev.pipeline.functions.StageFailedException;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.AlarmsLimitExceededException;
import software.amazon.awssdk.services.codedeploy.model.ApplicationAlreadyExistsException;
import software.amazon.awssdk.services.codedeploy.model.ApplicationDoesNotExistException;
import software.amazon.awssdk.services.codedeploy.model.CodeDeployException;
import software.amazon.awssdk.services.codedeploy.model.ComputePlatform;
import software.amazon.awssdk.services.codedeploy.model.DeploymentGroupAlreadyExistsException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentGroupDoesNotExistException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentGroupInfo;
import software.amazon.awssdk.services.codedeploy.model.InvalidAlarmConfigException;
import software.amazon.awssdk.services.codedeploy.model.InvalidAutoScalingGroupException;
import software.amazon.awssdk.services.codedeploy.model.InvalidLoadBalancerInfoException;
import software.amazon.awssdk.services.codedeploy.model.InvalidRoleException;
import software.amazon.awssdk.services.codedeploy.model.Tag;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** CodeDeploy for the provisioning, teardown and drift stages; the only class of them importing CodeDeploy SDK types. */
public class CodeDeployGateway {
    private final CodeDeployClient codeDeploy;

    public CodeDeployGateway(CodeDeployClient codeDeploy) {
        this.codeDeploy = codeDeploy;
    }

    /** Whether the application exists (GetApplication; ApplicationDoesNotExistException = no). */
    public boolean applicationExists(String name) {
        try {
            codeDeploy.getApplication(b -> b.applicationName(name));
            return true;
        } catch (ApplicationDoesNotExistException e) {
            return false;
        }
    }

    /**
     * Creates the application for EC2 instances ({@code Server}) with these tags; false when one of that name exists
     * (ApplicationAlreadyExistsException: an earlier attempt created it after our look-up).
     */
    public boolean createApplication(String name, java.util.Map<String, String> tags) {
        try {
            codeDeploy.createApplication(b -> b.applicationName(name).computePlatform(ComputePlatform.SERVER).tags(tags(tags)));
            return true;
        } catch (ApplicationAlreadyExistsException e) {
            return false;
        }
    }

    /** The group, or empty when it (or its application) does not exist. */
    public Optional<DeploymentGroupView> findGroup(String application, String group) {
        try {
            return Optional.of(view(codeDeploy.getDeploymentGroup(b -> b.applicationName(application)
                    .deploymentGroupName(group)).deploymentGroupInfo()));
        } catch (DeploymentGroupDoesNotExistException | ApplicationDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /** Creates the group; false when it already exists (DeploymentGroupAlreadyExistsException). */
    public boolean createGroup(DeploymentGroupSettings s) {
        try {
            refusals(() -> codeDeploy.createDeploymentGroup(b -> b.applicationName(s.application())
                    .deploymentGroupName(s.group()).serviceRoleArn(s.serviceRoleArn())
                    .autoScalingGroups(s.autoScalingGroups()).deploymentConfigName(s.config())
                    .deploymentStyle(d -> d.deploymentType(DeploymentGroupSettings.DEPLOYMENT_TYPE)
                            .deploymentOption(DeploymentGroupSettings.DEPLOYMENT_OPTION))
                    .loadBalancerInfo(loadBalancerInfo(s))
                    .autoRollbackConfiguration(r -> r.enabled(true).eventsWithStrings(s.rollbackEvents()))
                    .alarmConfiguration(alarmConfiguration(s))
                    .tags(tags(s.tags()))), s);
            return true;
        } catch (DeploymentGroupAlreadyExistsException e) {
            return false;
        }
    }

    /** The group's target groups for traffic control, as both CreateDeploymentGroup and UpdateDeploymentGroup take them. */
    private static software.amazon.awssdk.services.codedeploy.model.LoadBalancerInfo loadBalancerInfo(DeploymentGroupSettings s) {
        return software.amazon.awssdk.services.codedeploy.model.LoadBalancerInfo.builder().targetGroupInfoList(s.targetGroups().stream()
                .map(n -> software.amazon.awssdk.services.codedeploy.model.TargetGroupInfo.builder().name(n).build()).toList()).build();
    }

    /** The alarms the group watches, enabled. */
    private static software.amazon.awssdk.services.codedeploy.model.AlarmConfiguration alarmConfiguration(DeploymentGroupSettings s) {
        return software.amazon.awssdk.services.codedeploy.model.AlarmConfiguration.builder().enabled(true).alarms(s.alarms().stream()
                .map(n -> software.amazon.awssdk.services.codedeploy.model.Alarm.builder().name(n).build()).toList()).build();
    }

    /**
     * Sets every setting the pipeline manages. UpdateDeploymentGroup replaces each list it is given ("The replacement
     * list of Auto Scaling groups", API reference) and leaves out the ones it is not; all are given here.
     */
    public void updateGroup(DeploymentGroupSettings s) {
        refusals(() -> codeDeploy.updateDeploymentGroup(b -> b.applicationName(s.application())
                .currentDeploymentGroupName(s.group()).serviceRoleArn(s.serviceRoleArn())
                .autoScalingGroups(s.autoScalingGroups()).deploymentConfigName(s.config())
                .deploymentStyle(d -> d.deploymentType(DeploymentGroupSettings.DEPLOYMENT_TYPE)
                        .deploymentOption(DeploymentGroupSettings.DEPLOYMENT_OPTION))
                .loadBalancerInfo(loadBalancerInfo(s))
                .autoRollbackConfiguration(r -> r.enabled(true).eventsWithStrings(s.rollbackEvents()))
                .alarmConfiguration(alarmConfiguration(s))), s);
    }

    /**
     * Deletes the group; false when it (or its application) is already gone. CodeDeploy removes the lifecycle hooks
     * it put on the group's Auto Scaling groups (DeleteDeploymentGroup's {@code hooksNotCleanedUp} lists any it could
     * not remove; API reference), so the Auto Scaling group is deleted after this, never before.
     */
    public boolean deleteGroup(String application, String group) {
        try {
            codeDeploy.deleteDeploymentGroup(b -> b.applicationName(application).deploymentGroupName(group));
            return true;
        } catch (DeploymentGroupDoesNotExistException | ApplicationDoesNotExistException e) {
            return false;
        }
    }

    /** Deletes the application (and any group left in it); false when it is already gone. */
    public boolean deleteApplication(String name) {
        if (!applicationExists(name)) return false;
        try {
            codeDeploy.deleteApplication(b -> b.applicationName(name));
            return true;
        } catch (ApplicationDoesNotExistException e) {
            return false;
        }
    }

    /** CodeDeploy's refusals of a group's settings, which no retry fixes, as the stage's failure in a user's words. */
    private static void refusals(Runnable call, DeploymentGroupSettings s) {
        try {
            call.run();
        } catch (InvalidRoleException e) {
            throw new StageFailedException("CodeDeploy refused the service role " + s.serviceRoleArn()
                    + " for deployment group " + s.group() + " (it does not exist, or does not trust codedeploy.amazonaws.com,"
                    + " or cannot manage the Auto Scaling group): " + e.awsErrorDetails().errorMessage(), e);
        } catch (InvalidAutoScalingGroupException e) {
            throw new StageFailedException("CodeDeploy refused Auto Scaling group " + s.autoScalingGroups() + " for deployment group "
                    + s.group() + " (ProvisionAutoScalingGroup creates it first): " + e.awsErrorDetails().errorMessage(), e);
        } catch (InvalidLoadBalancerInfoException e) {
            throw new StageFailedException("CodeDeploy refused target group " + s.targetGroups() + " for deployment group "
                    + s.group() + " (ProvisionLoadBalancer creates it first): " + e.awsErrorDetails().errorMessage(), e);
        } catch (AlarmsLimitExceededException | InvalidAlarmConfigException e) {
            throw new StageFailedException("CodeDeploy refused the alarms " + s.alarms() + " for deployment group "
                    + s.group() + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (CodeDeployException e) {
            // Creating or updating a group with a service role needs iam:PassRole on that role (CodeDeploy user guide,
            // "Identity-based policies"); the template grants it for CodeDeployServiceRole only, so any other ARN in
            // the function's variable is refused here, before CodeDeploy looks at the role at all.
            String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
            if (message == null || !"AccessDeniedException".equals(e.awsErrorDetails().errorCode()) || !message.contains("iam:PassRole")) throw e;
            throw new StageFailedException("This function may not pass the service role " + s.serviceRoleArn() + " to deployment group "
                    + s.group() + " (the template grants iam:PassRole on its CodeDeployServiceRole only; does "
                    + "CODEDEPLOY_SERVICE_ROLE_ARN point elsewhere?): " + message, e);
        }
    }

    private static List<Tag> tags(java.util.Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static DeploymentGroupView view(DeploymentGroupInfo g) {
        var style = g.deploymentStyle();
        var rollback = g.autoRollbackConfiguration();
        var alarms = g.alarmConfiguration();
        Set<String> events = rollback == null ? Set.of() : new TreeSet<>(rollback.eventsAsStrings());
        return new DeploymentGroupView(g.applicationName(), g.deploymentGroupName(), g.deploymentGroupId(),
                g.serviceRoleArn(), g.autoScalingGroups().stream().map(a -> a.name()).toList(),
                g.loadBalancerInfo() == null ? List.of()
                        : g.loadBalancerInfo().targetGroupInfoList().stream().map(t -> t.name()).toList(),
                g.deploymentConfigName(),
                style == null ? null : style.deploymentTypeAsString(), style == null ? null : style.deploymentOptionAsString(),
                rollback != null && Boolean.TRUE.equals(rollback.enabled()), events,
                alarms != null && Boolean.TRUE.equals(alarms.enabled()),
                alarms == null ? List.of() : alarms.alarms().stream().map(a -> a.name()).toList());
    }
}
