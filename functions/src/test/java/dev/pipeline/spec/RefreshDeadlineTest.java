package dev.pipeline.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.deploy.rollout.RefreshDeadline;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The deploy's refresh deadline comes from the spec, and the deploy state machine lives long enough to reach it. */
class RefreshDeadlineTest {

    private static EnvironmentSpec spec(int max, int warmup, int minHealthy, int interval, int timeout, int healthy) {
        return spec(max, warmup, minHealthy, 100, interval, timeout, healthy);
    }

    private static EnvironmentSpec spec(int max, int warmup, int minHealthy, int maxHealthy, int interval, int timeout, int healthy) {
        return EnvironmentSpecs.parse(SpecFixtures.minimalWith(root -> {
            root.with("fleet").put("min", 1).put("desired", max).put("max", max);
            root.with("deployment").put("instanceWarmupSeconds", warmup).put("minHealthyPercentage", minHealthy)
                    .put("maxHealthyPercentage", maxHealthy);
            root.with("loadBalancer").with("healthCheck").put("intervalSeconds", interval).put("timeoutSeconds", timeout)
                    .put("healthyThreshold", healthy);
        }));
    }

    @Test
    void aLargeFleetWithALongWarmup_getsFarMoreThanTheOldFixedHour() {
        // 20 instances, 90% healthy: batches of 2, ten of them, each waiting out a 3600 s warm-up
        long seconds = RefreshDeadline.seconds(spec(20, 3600, 90, 30, 5, 5));

        assertThat(seconds).isGreaterThan(10 * 3600);
    }

    @Test
    void theReadmesExample_fourInstancesWith300sWarmup_fitsItsEstimate() {
        // README: 28-32 min of refresh for 4 instances with a 300 s warm-up; the deadline leaves room above that
        assertThat(RefreshDeadline.seconds(spec(4, 300, 90, 30, 5, 5))).isBetween(32L * 60, 3L * 3600);
    }

    @Test
    void launchingBeforeTerminating_isOneBatch_soTheDeadlineIsOneBatchLong() {
        // 20 instances at 100/200: all twenty replacements launch at once; one batch of boot, checks and warm-up
        long oneBatch = RefreshDeadline.seconds(spec(20, 3600, 100, 200, 30, 5, 5));
        long oneAtATime = RefreshDeadline.seconds(spec(20, 3600, 100, 100, 30, 5, 5));

        assertThat(oneBatch).isLessThan(2 * 3600);
        assertThat(oneAtATime).isGreaterThan(20 * 3600);
    }

    @Test
    void theDeployStateMachine_outlivesTheLongestRefreshAndItsRollback() throws Exception {
        long worst = RefreshDeadline.seconds(spec(SpecDefaults.FLEET_MAX_CAP, 3600, 100, 300, 120, 10));
        Path asl = Path.of("").toAbsolutePath();
        while (!Files.exists(asl.resolve("statemachine/deploy.asl.json"))) asl = asl.getParent();
        long timeout = new ObjectMapper().readTree(asl.resolve("statemachine/deploy.asl.json").toFile()).path("TimeoutSeconds").asLong();

        // the refresh, a rollback refresh as long, and the bake before them (the run's own hour)
        assertThat(timeout).isGreaterThanOrEqualTo(2 * worst + 3600);
    }
}
