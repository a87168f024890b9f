package dev.pipeline.deploy.release;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The queue rule, pure: of the uploads queued behind a deploy, only the newest may deploy, and only if it is newer
 * than every upload that already started; all the others are superseded. Deploying an older upload after a newer
 * one would leave the fleet on stale code.
 */
public final class LatestWins {
    private LatestWins() {}

    /** {@code newestStarted} is the {@link Upload#order()} of the newest upload that ever held the lock, or null. */
    public static Handoff decide(Collection<Upload> queued, String newestStarted) {
        Optional<Upload> newest = queued.stream().max(Upload.OLDEST_FIRST)
                .filter(u -> newestStarted == null || u.order().compareTo(newestStarted) > 0);
        List<Upload> superseded = new ArrayList<>(queued.stream()
                .filter(u -> newest.map(n -> !n.id().equals(u.id())).orElse(true))
                .sorted(Upload.OLDEST_FIRST).toList());
        return new Handoff(newest, superseded);
    }

    /** True when {@code candidate} is older than an upload that already started, so it must never deploy. */
    public static boolean isSuperseded(Upload candidate, String newestStarted) {
        return newestStarted != null && candidate.order().compareTo(newestStarted) < 0;
    }
}
