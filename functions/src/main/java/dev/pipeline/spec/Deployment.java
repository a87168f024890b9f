package dev.pipeline.spec;

/**
 * Instance refresh preferences: how long a new instance warms up before the next batch, how much of the desired
 * capacity must stay in service and healthy, and how much may run at once while instances are replaced (above 100:
 * replacements launch before the instances they replace terminate). Defaults 100 and 200: one batch, full capacity
 * throughout. {@code bakeTimeSeconds} is the refresh's BakeTime: after the last batch the alarms are watched that long
 * before the refresh counts as successful; {@code alarms} are the environment's CloudWatch alarms that roll a release
 * back when they go into ALARM during the refresh or its bake time. {@code inPlace} is how a CodeDeploy in-place
 * release goes through the fleet; {@code strategy} is how a release reaches the fleet unless its upload asks otherwise
 * ({@code ./pipeline deploy --in-place} or {@code --bake}).
 */
public record Deployment(int instanceWarmupSeconds, int minHealthyPercentage, int maxHealthyPercentage,
                         int bakeTimeSeconds, Alarms alarms, InPlace inPlace, Strategy strategy) {

    /** Builds a deployment with the default strategy ({@link Strategy#BAKE}). */
    public Deployment(int instanceWarmupSeconds, int minHealthyPercentage, int maxHealthyPercentage,
                      int bakeTimeSeconds, Alarms alarms, InPlace inPlace) {
        this(instanceWarmupSeconds, minHealthyPercentage, maxHealthyPercentage, bakeTimeSeconds, alarms, inPlace, Strategy.BAKE);
    }

    /**
     * CodeDeploy in-place releases: {@code config} is the deployment group's deployment configuration, one of
     * {@link SpecRules#IN_PLACE_CONFIGS} (never AllAtOnce, which takes every instance out of the target group at
     * once).
     */
    public record InPlace(String config) {
    }

    /**
     * How a release reaches the running fleet. {@code bake}: an image with the WAR, then an instance refresh.
     * {@code in-place-then-bake}: a CodeDeploy in-place deployment onto the running instances first (live in minutes),
     * then the same image is baked and becomes the launch template's version, without replacing any instance.
     */
    public enum Strategy {
        BAKE("bake"), IN_PLACE_THEN_BAKE("in-place-then-bake");

        private final String value;

        Strategy(String value) { this.value = value; }

        /** As the spec, the upload's metadata and the workflow state write it. */
        public String value() { return value; }

        /** The strategy written {@code value}; empty for anything else. */
        public static java.util.Optional<Strategy> of(String value) {
            for (Strategy s : values()) if (s.value.equals(value)) return java.util.Optional.of(s);
            return java.util.Optional.empty();
        }

        public static String accepted() { return "\"bake\" or \"in-place-then-bake\""; }
    }

    /**
     * Thresholds of the environment's two alarms on the target group (both per 60-second period):
     * {@code target5xxPerMinute} 5xx responses from the instances in one minute, and {@code lowCapacityMinutes}
     * consecutive minutes with fewer healthy targets than {@link #minHealthyHosts} at every moment.
     */
    public record Alarms(int target5xxPerMinute, int lowCapacityMinutes) {
    }

    /**
     * The healthy targets a refresh keeps for a fleet of {@code desired}: MinHealthyPercentage of it, rounded down
     * (so the alarm never asks more than the refresh promises), at least one.
     */
    public int minHealthyHosts(int desired) {
        return Math.max(1, (int) Math.floor(desired * (minHealthyPercentage / 100.0)));
    }
}
