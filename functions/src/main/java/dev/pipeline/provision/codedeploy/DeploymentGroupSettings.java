package dev.pipeline.provision.codedeploy;

import dev.pipeline.provision.Ownership;
import dev.pipeline.provision.alarms.EnvironmentAlarms;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The deployment group an environment should have (pure): in-place with traffic control on the app Auto Scaling
 * group behind the environment's target group, the spec's deployment configuration, rolled back automatically on a
 * failed deployment and on one stopped by the environment's 5xx alarm, which it watches (not the healthy-hosts one:
 * {@link EnvironmentAlarms#inPlaceNames}).
 *
 * @param serviceRoleArn the CodeDeploy service role (template.yaml's CodeDeployServiceRole)
 * @param tags           what CreateApplication/CreateDeploymentGroup tag the resources with
 */
public record DeploymentGroupSettings(String application, String group, String serviceRoleArn,
                                      List<String> autoScalingGroups, List<String> targetGroups, String config,
                                      Set<String> rollbackEvents, List<String> alarms, Map<String, String> tags) {

    public static final String COMPONENT = "codedeploy";
    public static final String DEPLOYMENT_TYPE = "IN_PLACE";
    public static final String DEPLOYMENT_OPTION = "WITH_TRAFFIC_CONTROL";
    /**
     * Roll back to the last good revision when a deployment fails and when an alarm stops it
     * (AutoRollbackConfiguration events; not DEPLOYMENT_STOP_ON_REQUEST: a user who stops a deployment decides).
     */
    public static final Set<String> ROLLBACK_EVENTS = Set.of("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM");
    /** "The maximum number of alarms for a deployment group (10) was exceeded" (AlarmsLimitExceededException). */
    static final int MAX_ALARMS = 10;

    public DeploymentGroupSettings {
        if (alarms.size() > MAX_ALARMS) throw new IllegalArgumentException("CodeDeploy watches at most 10 alarms, got " + alarms);
        autoScalingGroups = List.copyOf(autoScalingGroups);
        targetGroups = List.copyOf(targetGroups);
        rollbackEvents = Set.copyOf(rollbackEvents);
        alarms = List.copyOf(alarms);
        tags = Map.copyOf(tags);
    }

    public static DeploymentGroupSettings of(EnvironmentSpec spec, String serviceRoleArn) {
        String group = DeploymentGroupNames.group(spec);
        return new DeploymentGroupSettings(DeploymentGroupNames.application(spec), group, serviceRoleArn,
                List.of(spec.resourceName(Role.APP.key())), List.of(spec.targetGroupName()),
                spec.deployment().inPlace().config(), ROLLBACK_EVENTS, EnvironmentAlarms.inPlaceNames(spec),
                Ownership.tags(spec, COMPONENT, group));
    }

    /** What differs between this and an existing group, in a user's words; empty when it matches. */
    public List<String> differences(DeploymentGroupView have) {
        List<String> out = new ArrayList<>();
        diff(out, "Auto Scaling groups", Set.copyOf(autoScalingGroups), Set.copyOf(have.autoScalingGroups()));
        diff(out, "target groups", Set.copyOf(targetGroups), Set.copyOf(have.targetGroups()));
        diff(out, "deployment configuration", config, have.config());
        diff(out, "deployment style", DEPLOYMENT_TYPE + " " + DEPLOYMENT_OPTION, have.deploymentType() + " " + have.deploymentOption());
        diff(out, "automatic rollback", "on " + new java.util.TreeSet<>(rollbackEvents),
                have.rollbackEnabled() ? "on " + new java.util.TreeSet<>(have.rollbackEvents()) : "off");
        diff(out, "alarms", alarmText(true, alarms), alarmText(have.alarmsEnabled(), have.alarms()));
        diff(out, "service role", serviceRoleArn, have.serviceRoleArn());
        return out;
    }

    private static String alarmText(boolean enabled, List<String> names) {
        return enabled ? "watching " + new java.util.TreeSet<>(names) : "not watched";
    }

    private static void diff(List<String> out, String what, Object want, Object have) {
        if (!Objects.equals(want, have)) out.add(what + ": " + have + " -> " + want);
    }
}
