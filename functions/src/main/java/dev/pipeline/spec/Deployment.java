package dev.pipeline.spec;

/**
 * Instance refresh preferences: how long a new instance warms up before the next batch, and how much of the
 * desired capacity must stay healthy (AWS's own default is 90%).
 */
public record Deployment(int instanceWarmupSeconds, int minHealthyPercentage) {
}
