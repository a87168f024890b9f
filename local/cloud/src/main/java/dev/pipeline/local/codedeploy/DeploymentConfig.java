package dev.pipeline.local.codedeploy;

import java.util.Map;

/**
 * A deployment configuration of the EC2/On-Premises platform: its minimum healthy hosts (API reference,
 * MinimumHealthyHosts). {@code HOST_COUNT}: that many instances; {@code FLEET_PERCENT}: that percentage of the
 * deployment's instances, rounded up ("If a FLEET_PERCENT of 40 is specified [of nine instances], deploy to up to five
 * instances at a time"); {@code MOST_CONCURRENCY} (only CodeDeployDefault.OneAtATime, value 1): one instance at a
 * time, all but one kept healthy, so a failure on the last instance still lets the deployment succeed. The three
 * predefined ones (user guide, "Working with deployment configurations"): OneAtATime, HalfAtATime (FLEET_PERCENT 50),
 * AllAtOnce (HOST_COUNT 0).
 */
public record DeploymentConfig(String name, String type, int value) {
    public static final String DEFAULT = "CodeDeployDefault.OneAtATime";
    public static final Map<String, DeploymentConfig> PREDEFINED = Map.of(
            "CodeDeployDefault.OneAtATime", new DeploymentConfig("CodeDeployDefault.OneAtATime", "MOST_CONCURRENCY", 1),
            "CodeDeployDefault.HalfAtATime", new DeploymentConfig("CodeDeployDefault.HalfAtATime", "FLEET_PERCENT", 50),
            "CodeDeployDefault.AllAtOnce", new DeploymentConfig("CodeDeployDefault.AllAtOnce", "HOST_COUNT", 0));

    /** How many of {@code instances} must stay healthy. */
    public int minimumHealthy(int instances) {
        return switch (type) {
            case "HOST_COUNT" -> value;
            case "FLEET_PERCENT" -> (int) Math.ceil(instances * value / 100.0);
            case "MOST_CONCURRENCY" -> Math.max(0, instances - value);
            default -> throw new IllegalStateException("minimum healthy hosts type " + type);
        };
    }

    /**
     * How many instances are deployed to at once; 0 when the constraint leaves none (the deployment then fails with
     * HEALTH_CONSTRAINTS_INVALID: "The revision cannot be successfully deployed within the instance health constraints
     * specified", ErrorInformation).
     */
    public int batchSize(int instances) {
        return Math.max(0, instances - minimumHealthy(instances));
    }

    /**
     * Whether a deployment that ended with {@code succeeded} instances deployed to succeeded: at least the minimum
     * healthy, and at least one ("AllAtOnce ... the overall deployment succeeds if the application revision is deployed
     * to one or more of the instances", user guide).
     */
    public boolean succeeded(int instances, int succeeded) {
        return succeeded >= Math.max(1, minimumHealthy(instances));
    }
}
