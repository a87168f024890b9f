package dev.pipeline.deploy.release;

import java.time.Instant;
import java.util.List;

/** The deploy lock of one environment as stored: the holder (null when free), its lease, and who waits. */
public record LockState(String holder, Instant leaseExpiresAt, String newestStarted, List<Upload> queued) {
    public LockState {
        queued = List.copyOf(queued);
    }

    public boolean heldAt(Instant now) {
        return holder != null && leaseExpiresAt != null && leaseExpiresAt.isAfter(now);
    }
}
