package dev.pipeline.local.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * The local cloud's time: AWS-like durations (boot, SSM registration, CreateImage, health-check intervals,
 * warm-ups; each figure and its source in local/README.md) compressed by a factor, never skipped.
 * {@code scale} 60 means one local second stands for one AWS minute; 1 is real time.
 * Everything in the local cloud that models how long AWS takes waits through this one clock.
 */
public final class LocalClock {
    /** The example's 300 s warm-up takes 5 s: what `./pipeline local start` uses unless told otherwise. */
    public static final double DEFAULT_SCALE = 60;
    /** What the test extension uses unless -Dpipeline.timeScale says otherwise: 300 s of AWS in 1 s. */
    public static final double TEST_SCALE = 300;

    private final double scale;

    public LocalClock(double scale) {
        if (!(scale >= 1) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("time scale must be a number >= 1 (1 = real time), got " + scale);
        }
        this.scale = scale;
    }

    public double scale() { return scale; }

    /** How long {@code aws} of AWS time lasts here. */
    public Duration local(Duration aws) {
        return Duration.ofNanos(Math.round(aws.toNanos() / scale));
    }

    /** How much AWS time {@code local} of wall time stands for. */
    public Duration aws(Duration local) {
        return Duration.ofNanos(Math.round(local.toNanos() * scale));
    }

    /** Waits out {@code aws} of AWS time (scaled). */
    public void sleep(Duration aws) throws InterruptedException {
        Duration d = local(aws);
        if (!d.isZero() && !d.isNegative()) Thread.sleep(d);
    }

    /** The wall-clock instant when {@code aws} of AWS time from now will have passed. */
    public Instant after(Duration aws) {
        return Instant.now().plus(local(aws));
    }

    /** A poll interval the local stack uses for a workflow whose AWS figure is {@code awsSeconds}: at least 1 s. */
    public int pollSeconds(int awsSeconds) {
        return (int) Math.max(1, Math.round(awsSeconds / scale));
    }
}
