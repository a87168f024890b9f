package dev.pipeline.spec;

/**
 * Instance refresh preferences: how long a new instance warms up before the next batch, how much of the desired
 * capacity must stay in service and healthy, and how much may run at once while instances are replaced (above 100:
 * replacements launch before the instances they replace terminate). Defaults 100 and 200: one batch, full capacity
 * throughout.
 */
public record Deployment(int instanceWarmupSeconds, int minHealthyPercentage, int maxHealthyPercentage) {
}
