package dev.pipeline.deploy.release;

import java.util.List;
import java.util.Optional;

/**
 * What releasing the deploy lock decided: the upload that deploys next (the lock is already its own), and the
 * queued uploads that will never deploy because a newer one exists. Both empty when nothing was queued.
 */
public record Handoff(Optional<Upload> next, List<Upload> superseded) {
    public static final Handoff NOTHING = new Handoff(Optional.empty(), List.of());

    public Handoff {
        superseded = List.copyOf(superseded);
    }
}
