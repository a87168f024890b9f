package dev.pipeline.local.refresh;

/**
 * Whether an instance passes its load balancer health checks, as an instance refresh waits for it: the
 * local cloud's load balancer answers it (from real HTTP checks when an instance model serves instances,
 * from the {@link HealthModel} otherwise). Implementations are thread-safe.
 */
public interface InstanceHealth {
    enum Kind {
        /** healthy in every target group it is registered with (or registered with none) */
        HEALTHY,
        /** still being checked (initial) */
        PENDING,
        /** unhealthy because nothing answered (connection failed or timed out): it may still be starting */
        NOT_ANSWERING,
        /** unhealthy: it answered, with a code the target group does not accept (or the health model marks its image) */
        UNHEALTHY
    }

    record Verdict(Kind kind, String reason) {
        public static final Verdict HEALTHY = new Verdict(Kind.HEALTHY, null);
    }

    /** The health of {@code instanceId} (launched from {@code imageId}) as of now. */
    Verdict of(String instanceId, String imageId);

    /** How long (wall time) a refresh waits for new instances that are still being checked or not answering yet. */
    default java.time.Duration patience() { return java.time.Duration.ZERO; }
}
