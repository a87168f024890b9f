package dev.pipeline.provision.alarms;

import dev.pipeline.spec.Deployment;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.List;
import java.util.Map;

/**
 * The environment's two CloudWatch alarms on its target group: 5xx responses from the instances, which every
 * release's instance refresh watches (AlarmSpecification) and rolls back on, and unhealthy targets, which it does not
 * (see {@link #releaseGates}). Metrics, statistics
 * and dimensions as Elastic Load Balancing publishes them
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html:
 * {@code HTTPCode_Target_5XX_Count}, statistic Sum; {@code UnHealthyHostCount}, statistics Minimum/Maximum/Average;
 * both by {@code TargetGroup, LoadBalancer}, whose values are the ARNs' final portions). ELB reports a count only
 * when it is non-zero, so a minute without data is "not breaching".
 */
public final class EnvironmentAlarms {
    public static final String NAMESPACE = "AWS/ApplicationELB";
    static final String TARGET_5XX_COMPONENT = "target-5xx";
    static final String UNHEALTHY_COMPONENT = "unhealthy-hosts";
    static final int PERIOD_SECONDS = 60;

    private EnvironmentAlarms() {
    }

    /** The alarms' names, {@code <env>-target-5xx} and {@code <env>-unhealthy-hosts}: what provisioning and teardown own. */
    public static List<String> names(EnvironmentSpec spec) {
        return List.of(spec.resourceName(TARGET_5XX_COMPONENT), spec.resourceName(UNHEALTHY_COMPONENT));
    }

    /**
     * The alarms a release's instance refresh lists in its AlarmSpecification: the 5xx alarm only. Every launch's
     * new targets are unhealthy until their Tomcat answers: a target registered while it boots fails its checks and
     * is {@code unhealthy} after UnhealthyThresholdCount of them (target health reason codes, ELB API reference,
     * TargetHealth), and {@code UnHealthyHostCount} counts it (ALB user guide, CloudWatch metrics). With the example's
     * 15 s interval that is 30 s after registration, so a boot of a couple of minutes puts the unhealthy-hosts alarm
     * into ALARM during a good release, and AWS would roll it back. The local cloud showed exactly that (the demo's
     * v1 and v2 rolled back on it). New instances that never become healthy already fail the refresh by its health
     * checks; unhealthy hosts stay an alarm for operators and drift, not a release gate.
     */
    public static List<String> releaseGates(EnvironmentSpec spec) {
        return List.of(spec.resourceName(TARGET_5XX_COMPONENT));
    }

    /** Both alarms for the load balancer and target group with these ARNs. */
    public static List<AlarmDefinition> of(EnvironmentSpec spec, String loadBalancerArn, String targetGroupArn) {
        Deployment.Alarms a = spec.deployment().alarms();
        Map<String, String> dims = Map.of("LoadBalancer", arnSuffix(loadBalancerArn, "loadbalancer/"),
                "TargetGroup", arnSuffix(targetGroupArn, ""));
        return List.of(
                new AlarmDefinition(spec.resourceName(TARGET_5XX_COMPONENT),
                        "Environment " + spec.name() + ": " + a.target5xxPerMinute()
                                + " or more 5xx responses from its instances in a minute; a release's instance refresh rolls back on it",
                        NAMESPACE, "HTTPCode_Target_5XX_Count", "Sum", dims, PERIOD_SECONDS, 1, 1,
                        a.target5xxPerMinute(), "GreaterThanOrEqualToThreshold", "notBreaching"),
                new AlarmDefinition(spec.resourceName(UNHEALTHY_COMPONENT),
                        "Environment " + spec.name() + ": " + a.unhealthyHosts() + " or more unhealthy targets for "
                                + a.unhealthyMinutes() + " minute(s); for operators (new instances are unhealthy while they boot, so releases do not watch it)",
                        NAMESPACE, "UnHealthyHostCount", "Maximum", dims, PERIOD_SECONDS, a.unhealthyMinutes(),
                        a.unhealthyMinutes(), a.unhealthyHosts(), "GreaterThanOrEqualToThreshold", "notBreaching"));
    }

    /**
     * The dimension value of an ELB ARN: its resource part, without {@code loadbalancer/} for a load balancer
     * ({@code app/<name>/<id>}) and whole for a target group ({@code targetgroup/<name>/<id>}).
     */
    static String arnSuffix(String arn, String dropPrefix) {
        int colon = arn.lastIndexOf(':');
        String resource = colon < 0 ? arn : arn.substring(colon + 1);
        return resource.startsWith(dropPrefix) ? resource.substring(dropPrefix.length()) : resource;
    }
}
