package dev.pipeline.deploy.rollout;

import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.HealthCheck;

/**
 * How long an instance refresh of this environment may take before the deploy gives up on it, derived from the spec
 * rather than one fixed hour (a 20-instance fleet with a 3600 s warm-up needs many hours). Pure.
 *
 * <p>AWS (https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html and
 * the instance refresh overview): a rolling refresh replaces instances in batches, keeping at least
 * MinHealthyPercentage of the desired capacity in service and at most MaxHealthyPercentage running, and waits for each
 * new instance's health checks to pass and its warm-up to end before the next batch; with 100/100 it replaces one at a
 * time, with 100/200 all at once (batches as {@link dev.pipeline.estimate.Estimator#refreshPlan}). So the worst case is
 * {@code batches × (boot + health checks + warm-up)}, taken at the fleet's maximum, plus the bake time (BakeTime: the
 * refresh is Baking, not Successful, until it has passed), plus slack.
 */
public final class RefreshDeadline {
    /** What one replacement takes before its health checks can start: launch and boot to Tomcat (AWS-typical). */
    static final int BOOT_SECONDS = 300;
    static final int SLACK_SECONDS = 900;

    private RefreshDeadline() {}

    public static long seconds(EnvironmentSpec spec) {
        int instances = spec.fleet().max();
        long batches = dev.pipeline.estimate.Estimator.refreshPlan(instances, spec.deployment().minHealthyPercentage(),
                spec.deployment().maxHealthyPercentage()).batches();
        HealthCheck hc = spec.loadBalancer().healthCheck();
        long healthy = (long) hc.healthyThreshold() * (hc.intervalSeconds() + hc.timeoutSeconds());
        long perBatch = BOOT_SECONDS + healthy + spec.deployment().instanceWarmupSeconds();
        return batches * perBatch + spec.deployment().bakeTimeSeconds() + SLACK_SECONDS;
    }
}
