package dev.pipeline.deploy.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the first rollout call does, given the group's refreshes (newest first): follow a refresh of this release's
 * version that is active, or that started during this run (a retried Lambda whose refresh already ended); stop
 * when another refresh is active (AWS allows one per group); otherwise start one.
 */
public sealed interface RefreshStart {
    record Follow(Refresh refresh) implements RefreshStart {
    }

    record Conflict(Refresh refresh) implements RefreshStart {
    }

    record Start() implements RefreshStart {
    }

    static RefreshStart decide(List<Refresh> newestFirst, String templateId, long version, Optional<Instant> runStartedAt) {
        Optional<Refresh> active = newestFirst.stream().filter(r -> !r.terminal()).findFirst();
        if (active.isPresent()) {
            return active.get().targets(templateId, version) ? new Follow(active.get()) : new Conflict(active.get());
        }
        if (runStartedAt.isPresent()) {
            Optional<Refresh> ours = newestFirst.stream()
                    .filter(r -> r.targets(templateId, version) && r.startTime() != null && !r.startTime().isBefore(runStartedAt.get()))
                    .findFirst();
            if (ours.isPresent()) return new Follow(ours.get());
        }
        return new Start();
    }
}
