package dev.pipeline.local.refresh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries out one instance refresh on moto's primitives, in the background: replace in batches, warm up,
 * check health, pause at checkpoints; then succeed, fail, cancel or roll back. Runs once per record.
 *
 * <p>moto launches a replacement from the group's <em>current</em> launch template version, so while a refresh
 * with a DesiredConfiguration runs, the group itself points at the desired version (AWS keeps showing the
 * old one until success). It is pointed back on failure, cancel and rollback, which is what AWS shows.
 */
final class RefreshWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(RefreshWorker.class.getName());

    private final InstanceRefreshRecord refresh;
    private final MotoAutoScaling moto;
    private final InstanceHealth health;

    private String previousImage;
    private int capacity;
    private int atOnce;
    private Duration warmup;

    private enum Outcome { DONE, CANCELLED, ROLLBACK, FAILED }

    private String failure;

    /** Warm-up and checkpoint delays are AWS time: they wait {@code clock.local(d)} here. */
    private final dev.pipeline.local.clock.LocalClock clock;

    RefreshWorker(InstanceRefreshRecord refresh, MotoAutoScaling moto, InstanceHealth health, dev.pipeline.local.clock.LocalClock clock) {
        this.clock = clock;
        this.refresh = refresh;
        this.moto = moto;
        this.health = health;
    }

    @Override
    public void run() {
        try {
            refreshGroup();
        } catch (InterruptedException e) {
            // the local cloud was reset: the record is forgotten, nothing to report
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) return;
            LOG.log(Level.WARNING, "instance refresh " + refresh.id + " stopped by an error", e);
            refresh.crashed("The local cloud could not continue the instance refresh: " + e.getMessage());
        }
    }

    private void refreshGroup() throws InterruptedException {
        MotoAutoScaling.Group group = moto.group(refresh.groupName);
        if (group == null) {
            refresh.fail("The Auto Scaling group " + refresh.groupName + " no longer exists.");
            return;
        }
        LaunchTemplateSpec previous = refresh.previous;
        previousImage = previous != null ? moto.imageOf(previous) : moto.imageOfLaunchConfiguration(group.launchConfigurationName());
        String targetImage = refresh.desired != null ? moto.imageOf(refresh.desired) : previousImage;

        capacity = group.inServiceInstanceIds().size();
        RefreshPreferences prefs = refresh.preferences;
        atOnce = RefreshPlan.replaceAtOnce(capacity, prefs.minHealthy(), prefs.maxHealthy());
        // Without InstanceWarmup AWS falls back to the group's DefaultInstanceWarmup, then HealthCheckGracePeriod.
        // moto has no DefaultInstanceWarmup and reports 300 for a grace period left unset (AWS's API default is 0),
        // and even for an explicit 0, so its figure cannot be trusted: no warm-up unless the refresh asks for one.
        warmup = Duration.ofSeconds(prefs.instanceWarmup() == null ? 0 : prefs.instanceWarmup());

        Map<String, MotoAutoScaling.InstanceFacts> facts = moto.instances(group.inServiceInstanceIds());
        List<String> pending = new ArrayList<>();
        for (String id : group.inServiceInstanceIds()) {
            MotoAutoScaling.InstanceFacts f = facts.get(id);
            // SkipMatching compares the AMI: see instances() for why not the launch template version
            boolean matches = f != null && targetImage != null && targetImage.equals(f.imageId());
            if (!prefs.skipMatchingOn() || !matches) pending.add(id);
        }
        // skipped (matching) instances count as done in PercentageComplete (not confirmed against AWS)
        int updated = capacity - pending.size();
        if (!refresh.begin(pending.size(), RefreshPlan.percentComplete(updated, capacity))) {
            settleRace();
            return;
        }
        if (refresh.desired != null) moto.pointGroupAt(refresh.groupName, refresh.desired);

        Outcome outcome = rollOut(pending, updated);
        switch (outcome) {
            case DONE -> {
                int left = pending.size();
                if (!refresh.succeed(left, RefreshPlan.percentComplete(capacity - left, capacity))) settleRace();
            }
            case CANCELLED -> cancel();
            case ROLLBACK -> rollBack();
            case FAILED -> {
                if (prefs.autoRollbackOn() && refresh.startAutoRollback(failure)) {
                    rollBack();
                } else {
                    restorePrevious();
                    if (!refresh.fail(failure)) settleRace();
                }
            }
        }
    }

    /** Replaces {@code pending} (mutated as it goes) batch by batch; stops at the first unhealthy batch. */
    private Outcome rollOut(List<String> pending, int updated) throws InterruptedException {
        RefreshPreferences prefs = refresh.preferences;
        List<Integer> checkpoints = prefs.checkpointPercentages();
        while (!pending.isEmpty()) {
            if (refresh.cancelRequested()) return Outcome.CANCELLED;
            if (refresh.rollbackRequested()) return Outcome.ROLLBACK;
            int n = RefreshPlan.nextBatch(capacity, updated, pending.size(), atOnce, checkpoints);
            List<String> batch = new ArrayList<>(pending.subList(0, n));
            Swap swap = startSwap(batch);
            pending.removeAll(batch);
            if (!swap.fresh().isEmpty()) {
                refresh.reason("Waiting for instances to warm up before continuing. For example: " + swap.fresh().getFirst() + " is warming up.");
            }
            Watch w = watch(clock.local(warmup), true);
            if (w == Watch.REQUESTED) {
                abandon(swap);
                continue;
            }
            if (w == Watch.ALARM) {
                abandon(swap);
                return Outcome.FAILED;
            }
            String unhealthy = firstUnhealthy(swap.fresh());
            if (unhealthy != null) {
                abandon(swap);
                failure = unhealthy;
                return Outcome.FAILED;
            }
            moto.retire(swap.retireAfter());
            int before = updated;
            updated += batch.size();
            refresh.progress(pending.size(), RefreshPlan.percentComplete(updated, capacity), null);
            Optional<Integer> checkpoint = RefreshPlan.checkpointReached(capacity, before, updated, checkpoints);
            if (checkpoint.isPresent()) {
                // the last checkpoint ends the refresh, even below 100 % (a partial refresh); that the group then
                // keeps the desired version is how this emulation reads "applied on success" (not confirmed)
                if (checkpoint.get().equals(checkpoints.getLast())) return bake();
                refresh.reason("Checkpoint " + checkpoint.get() + "% reached: waiting "
                        + prefs.checkpointDelaySeconds() + " seconds before continuing.");
                Watch cw = watch(clock.local(Duration.ofSeconds(prefs.checkpointDelaySeconds())), true);
                if (cw == Watch.ALARM) return Outcome.FAILED;
                if (cw == Watch.REQUESTED) continue;
                refresh.reason(null);
            }
        }
        return bake();
    }

    /**
     * BakeTime: "the amount of time, in seconds, to wait at the end of an instance refresh before the instance refresh
     * is considered complete" (RefreshPreferences), status Baking meanwhile; the alarms are watched throughout, and
     * one in ALARM fails the refresh (rolled back with AutoRollback) as during the replacements.
     */
    private Outcome bake() throws InterruptedException {
        int seconds = refresh.preferences.bakeTimeSeconds();
        if (seconds == 0) return Outcome.DONE;
        if (!refresh.startBaking(0, 100, "Waiting " + seconds + " seconds of bake time before the instance refresh is complete.")) {
            return refresh.cancelRequested() ? Outcome.CANCELLED : Outcome.ROLLBACK;
        }
        return switch (watch(clock.local(Duration.ofSeconds(seconds)), true)) {
            case ELAPSED -> Outcome.DONE;
            case ALARM -> Outcome.FAILED;
            case REQUESTED -> refresh.cancelRequested() ? Outcome.CANCELLED : Outcome.ROLLBACK;
        };
    }

    private enum Watch { ELAPSED, REQUESTED, ALARM }

    /** How often a running refresh reads its alarms' states (wall time). */
    private static final Duration ALARM_POLL = Duration.ofMillis(100);

    /**
     * Waits {@code d} like {@link InstanceRefreshRecord#pause}, reading the AlarmSpecification's alarms every
     * {@link #ALARM_POLL}: REQUESTED when a cancel (or rollback) request came, ALARM (with {@code failure} set) when
     * one of the alarms is in ALARM, as AWS fails a refresh "if any CloudWatch alarms you specify go into the ALARM
     * state" (user guide, instance-refresh-rollback).
     */
    private Watch watch(Duration d, boolean wakeOnRollback) throws InterruptedException {
        List<String> alarms = refresh.preferences.alarms();
        if (alarms.isEmpty()) return refresh.pause(d, wakeOnRollback) ? Watch.REQUESTED : Watch.ELAPSED;
        long deadline = System.nanoTime() + d.toNanos();
        while (true) {
            Optional<String> alarm = moto.alarmInAlarm(alarms);
            if (alarm.isPresent()) {
                failure = alarm.get();
                return Watch.ALARM;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return Watch.ELAPSED;
            if (refresh.pause(Duration.ofNanos(Math.min(left, ALARM_POLL.toNanos())), wakeOnRollback)) return Watch.REQUESTED;
        }
    }

    /**
     * Replaces every instance that is not on the previous image, from the previous launch template version,
     * until the group looks as it did before the refresh.
     */
    private void rollBack() throws InterruptedException {
        restorePrevious();
        // each round replaces at least one instance; bound the rounds in case moto launches something unexpected
        for (int round = 0; round <= capacity * 3 + 1; round++) {
            if (refresh.cancelRequested()) {
                refresh.cancelled();
                return;
            }
            MotoAutoScaling.Group group = moto.requireGroup(refresh.groupName);
            Map<String, MotoAutoScaling.InstanceFacts> facts = moto.instances(group.inServiceInstanceIds());
            List<String> off = new ArrayList<>();
            for (String id : group.inServiceInstanceIds()) {
                MotoAutoScaling.InstanceFacts f = facts.get(id);
                if (f == null || previousImage == null || !previousImage.equals(f.imageId())) off.add(id);
            }
            // PercentageComplete "gradually goes back down to zero during a rollback"
            int pct = RefreshPlan.percentComplete(off.size(), capacity);
            if (off.isEmpty()) {
                refresh.rollbackDone(true, null);
                return;
            }
            refresh.rollbackProgress(pct, "Rolling back: replacing " + off.size() + " instance(s) launched by the instance refresh.");
            List<String> batch = new ArrayList<>(off.subList(0, Math.min(atOnce, off.size())));
            Swap swap = startSwap(batch);
            if (refresh.pause(clock.local(warmup), false)) {
                abandon(swap);
                continue;
            }
            String unhealthy = firstUnhealthy(swap.fresh());
            if (unhealthy != null) {
                abandon(swap);
                refresh.rollbackDone(false, "Rollback failed: " + unhealthy);
                return;
            }
            moto.retire(swap.retireAfter());
        }
        refresh.rollbackDone(false, "Rollback failed: instances kept launching from a configuration other than the previous one.");
    }

    /**
     * One batch under way: {@code fresh} are its new instances; {@code launchedBeside} those of them launched on top
     * of the group's capacity, and {@code retireAfter} the old instances they stand in for, terminated once the new
     * ones pass their checks.
     */
    private record Swap(List<String> fresh, List<String> launchedBeside, List<String> retireAfter) {}

    /**
     * Starts replacing {@code batch} within AWS's range: at least MinHealthyPercentage and at most
     * MaxHealthyPercentage of the capacity in service ("your Auto Scaling group can only increase and decrease
     * capacity within that minimum-maximum range when replacing instances",
     * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-instance-maintenance-policy.html).
     * Room above the capacity is used first: that many old instances keep serving while replacements launch beside
     * them (launch before terminate); the rest are terminated and replaced together, as with 100 %.
     */
    private Swap startSwap(List<String> batch) {
        int ceiling = (int) Math.floor(capacity * (double) refresh.preferences.maxHealthy() / 100.0);
        int beside = Math.max(0, Math.min(batch.size(), ceiling - capacity));
        List<String> retireAfter = new ArrayList<>(batch.subList(0, beside));
        List<String> replaceNow = new ArrayList<>(batch.subList(beside, batch.size()));
        List<String> fresh = new ArrayList<>();
        if (!replaceNow.isEmpty()) fresh.addAll(moto.replace(refresh.groupName, replaceNow));
        List<String> launched = beside > 0 ? moto.launchBeside(refresh.groupName, beside) : List.of();
        fresh.addAll(launched);
        return new Swap(fresh, launched, retireAfter);
    }

    /**
     * A batch that will not finish (unhealthy, cancelled, rolled back): what was launched beside the group goes, so the
     * old instances it was to replace go on serving and the group is back to its desired capacity. (AWS's own
     * handling of such instances is not documented in detail; this is the outcome its range rule implies.)
     */
    private void abandon(Swap swap) {
        moto.retire(swap.launchedBeside());
    }

    private void cancel() {
        restorePrevious();
        refresh.cancelled();
    }

    /** After a transition lost a race against the API: finish what the API asked for. */
    private void settleRace() throws InterruptedException {
        switch (refresh.status()) {
            case Cancelling -> cancel();
            case RollbackInProgress -> rollBack();
            default -> { /* already final */ }
        }
    }

    /** AWS applies the desired configuration only on success; a refresh that ends otherwise leaves the group as it was. */
    private void restorePrevious() {
        if (refresh.desired != null && refresh.previous != null) moto.pointGroupAt(refresh.groupName, refresh.previous);
    }

    /**
     * A StatusReason naming the first new instance that fails health checks, or null when all pass. New targets are
     * waited for while their checks are in progress, or while they do not answer yet (still booting), up to
     * {@link InstanceHealth#patience()}; one that answers with a wrong code fails at once. (AWS keeps replacing
     * instances that fail until the refresh times out; here the first such batch fails the refresh.)
     */
    private String firstUnhealthy(List<String> fresh) throws InterruptedException {
        if (fresh.isEmpty()) return null;
        Map<String, MotoAutoScaling.InstanceFacts> facts = moto.instances(fresh);
        java.time.Instant deadline = java.time.Instant.now().plus(health.patience());
        while (true) {
            String waiting = null;
            for (MotoAutoScaling.InstanceFacts f : facts.values()) {
                InstanceHealth.Verdict v = health.of(f.instanceId(), f.imageId());
                String what = "Instance " + f.instanceId() + " (" + f.imageId() + ")";
                switch (v.kind()) {
                    case HEALTHY -> { }
                    case UNHEALTHY -> { return what + " failed its health checks: " + v.reason() + "."; }
                    case PENDING, NOT_ANSWERING -> { if (waiting == null) waiting = what + ": " + v.reason(); }
                }
            }
            if (waiting == null) return null;
            if (!java.time.Instant.now().isBefore(deadline)) {
                return waiting + "; it did not pass its health checks within " + health.patience().toSeconds() + " s.";
            }
            Thread.sleep(100);
        }
    }
}
