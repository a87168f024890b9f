package dev.pipeline.local.refresh;

import java.util.List;
import java.util.Optional;

/**
 * The arithmetic of a rolling instance refresh: how many instances to replace at once, how checkpoints pace
 * the batches, and the percentage reported. Pure functions of the group's capacity and what is done so far.
 */
public final class RefreshPlan {
    private RefreshPlan() {}

    /**
     * How many instances may be out of service at once: the capacity above the healthy floor. AWS rounds the
     * floor up ("percentage of the desired capacity, rounded up") and the ceiling down, so 4 instances at 90 %
     * keep 4 healthy and replace 0, which AWS turns into one at a time ("100 percent limits the rate of
     * replacement to one instance at a time"); 10 instances at 80 % replace 2 at once (the user guide's
     * checkpoint example); 0 % replaces everything at once.
     */
    public static int replaceAtOnce(int capacity, int minHealthyPercentage, int maxHealthyPercentage) {
        if (capacity <= 0) return 0;
        int floor = ceilPercent(capacity, minHealthyPercentage);
        int ceiling = (int) Math.floor(capacity * (double) maxHealthyPercentage / 100.0);
        return Math.max(1, Math.min(capacity, ceiling - floor));
    }

    /**
     * The size of the next batch: never more than {@code atOnce} or what remains, and never past the next
     * checkpoint (the user guide: "to reach a checkpoint percentage, Amazon EC2 Auto Scaling will sometimes
     * replace fewer but never more than what the minimum healthy percentage allows").
     *
     * @param updated instances already on the desired configuration (replaced, or skipped as matching)
     */
    public static int nextBatch(int capacity, int updated, int remaining, int atOnce, List<Integer> checkpoints) {
        if (remaining <= 0) return 0;
        int n = Math.min(atOnce, remaining);
        for (int cp : checkpoints) {
            int needed = ceilPercent(capacity, cp) - updated;
            if (needed > 0) {
                n = Math.min(n, needed);
                break;
            }
        }
        return Math.max(1, n);
    }

    /**
     * The checkpoint a batch reached, if any: the highest one whose threshold lies in (before, after]. Lower
     * ones crossed in the same batch are skipped, as the user guide describes for a 2-instance group with
     * checkpoints [10, 40, 100] (one replacement is 50 %: the 40 checkpoint is reported, 10 is skipped).
     */
    public static Optional<Integer> checkpointReached(int capacity, int before, int after, List<Integer> checkpoints) {
        Integer reached = null;
        for (int cp : checkpoints) {
            int threshold = ceilPercent(capacity, cp);
            if (threshold > before && threshold <= after) reached = cp;
        }
        return Optional.ofNullable(reached);
    }

    /** PercentageComplete: the share of the group on the desired configuration, rounded down; an empty group is done. */
    public static int percentComplete(int updated, int capacity) {
        if (capacity <= 0) return 100;
        return Math.min(100, (int) Math.floor(updated * 100.0 / capacity));
    }

    static int ceilPercent(int capacity, int percent) {
        return (int) Math.ceil(capacity * (double) percent / 100.0);
    }
}
