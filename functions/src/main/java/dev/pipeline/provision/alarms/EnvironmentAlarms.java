package dev.pipeline.provision.alarms;

import dev.pipeline.spec.Deployment;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.List;
import java.util.Map;

/**
 * The environment's two CloudWatch alarms on its target group, which every release's instance refresh watches
 * (AlarmSpecification) and rolls back on: 5xx responses from the instances, and lost capacity. Metrics, statistics
 * and dimensions as Elastic Load Balancing publishes them
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html:
 * {@code HTTPCode_Target_5XX_Count}, statistic Sum, reported only when non-zero, so a minute without data is "not
 * breaching"; {@code HealthyHostCount}, statistics Minimum/Maximum/Average, reported when health checks are enabled;
 * both by {@code TargetGroup, LoadBalancer}, whose values are the ARNs' final portions).
 * <p>
 * Capacity is watched as too few healthy targets, not as unhealthy ones: every launch's new targets fail their checks
 * while they boot and are {@code unhealthy} after UnhealthyThresholdCount failures (ELB API reference,
 * TargetHealth reason codes), so an {@code UnHealthyHostCount} alarm goes off during a good release (the local
 * cloud's demo rolled back good releases on one). Launching before terminating keeps the old targets healthy until
 * the new ones pass, so {@code HealthyHostCount} stays at the refresh's minimum unless something is wrong: during
 * the refresh, or in its bake time when the new release's instances start failing their checks.
 */
public final class EnvironmentAlarms {
    public static final String NAMESPACE = "AWS/ApplicationELB";
    static final String TARGET_5XX_COMPONENT = "target-5xx";
    static final String CAPACITY_COMPONENT = "healthy-hosts";
    static final int PERIOD_SECONDS = 60;

    private EnvironmentAlarms() {
    }

    /** The alarms' names, {@code <env>-target-5xx} and {@code <env>-healthy-hosts}: what a refresh's AlarmSpecification lists. */
    public static List<String> names(EnvironmentSpec spec) {
        return List.of(spec.resourceName(TARGET_5XX_COMPONENT), spec.resourceName(CAPACITY_COMPONENT));
    }

    /**
     * The alarms an in-place release (CodeDeploy) watches: the 5xx alarm only. An in-place deployment takes its batch
     * out of the target group on purpose (OneAtATime: one instance of two), so healthy targets drop below the
     * refresh's minimum for as long as a batch takes (~2 minutes on AWS), and the healthy-hosts alarm, made for a
     * refresh that launches before it terminates, would stop every in-place release (the local cloud's
     * InPlaceDeployIT did). CodeDeploy guards capacity itself: its configuration's minimum healthy hosts, and
     * AllowTraffic waits until each instance is healthy again, failing the deployment otherwise.
     */
    public static List<String> inPlaceNames(EnvironmentSpec spec) {
        return List.of(spec.resourceName(TARGET_5XX_COMPONENT));
    }

    /** Both alarms for the load balancer and target group with these ARNs. */
    public static List<AlarmDefinition> of(EnvironmentSpec spec, String loadBalancerArn, String targetGroupArn) {
        Deployment d = spec.deployment();
        Deployment.Alarms a = d.alarms();
        int minHealthy = d.minHealthyHosts(spec.fleet().desired());
        Map<String, String> dims = Map.of("LoadBalancer", arnSuffix(loadBalancerArn, "loadbalancer/"),
                "TargetGroup", arnSuffix(targetGroupArn, ""));
        return List.of(
                new AlarmDefinition(spec.resourceName(TARGET_5XX_COMPONENT),
                        "Environment " + spec.name() + ": " + a.target5xxPerMinute()
                                + " or more 5xx responses from its instances in a minute; a release's instance refresh rolls back on it",
                        NAMESPACE, "HTTPCode_Target_5XX_Count", "Sum", dims, PERIOD_SECONDS, 1, 1,
                        a.target5xxPerMinute(), "GreaterThanOrEqualToThreshold", "notBreaching"),
                new AlarmDefinition(spec.resourceName(CAPACITY_COMPONENT),
                        "Environment " + spec.name() + ": fewer than " + minHealthy + " healthy targets throughout "
                                + a.lowCapacityMinutes() + " minute(s) in a row (fleet.desired x minHealthyPercentage);"
                                + " a release's instance refresh rolls back on it",
                        NAMESPACE, "HealthyHostCount", "Minimum", dims, PERIOD_SECONDS, a.lowCapacityMinutes(),
                        a.lowCapacityMinutes(), minHealthy, "LessThanThreshold", "notBreaching"));
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
