package dev.pipeline.deploy.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.rollout.RefreshDeadline;
import dev.pipeline.functions.Run;
import dev.pipeline.spec.EnvironmentSpecs;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AcquireLockLeaseTest {

    @Test
    void lease_outlivesTheRefreshAndItsRollback_whenTheSpecImpliesALongerRefreshThanTheRunTimeout() {
        ObjectNode spec = example();
        spec.withObject("/fleet").put("min", 20).put("desired", 20).put("max", 20);
        spec.withObject("/deployment").put("instanceWarmupSeconds", 3600);
        long refresh = RefreshDeadline.seconds(EnvironmentSpecs.fromTree(spec));

        Duration lease = AcquireLockService.lease(run(3600), spec);

        assertThat(lease).isGreaterThan(Duration.ofSeconds(2 * refresh));
        assertThat(lease).isGreaterThan(Duration.ofSeconds(3600).plus(AcquireLockService.GRACE));
    }

    @Test
    void lease_isTheRunTimeoutPlusGrace_withoutASpec_orWhenTheRunTimeoutIsLonger() {
        assertThat(AcquireLockService.lease(run(3600), null)).isEqualTo(Duration.ofSeconds(3600).plus(AcquireLockService.GRACE));
        assertThat(AcquireLockService.lease(run(400_000), example()))
                .isEqualTo(Duration.ofSeconds(400_000).plus(AcquireLockService.GRACE));
    }

    private static Run run(int timeoutSeconds) {
        return new Run("t", 30, null, timeoutSeconds);
    }

    /** examples/vprofile.json, found above the module's working directory. */
    private static ObjectNode example() {
        for (java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            java.nio.file.Path candidate = dir.resolve("examples/vprofile.json");
            if (java.nio.file.Files.isRegularFile(candidate)) {
                try {
                    return (ObjectNode) dev.pipeline.functions.JsonHandler.JSON.readTree(candidate.toFile());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("examples/vprofile.json not found");
    }
}
