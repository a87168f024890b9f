package dev.pipeline.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Timings of one measured thing, in milliseconds: median, nearest-rank p95, min, max. */
public record Stats(List<Double> millis) {
    public Stats {
        if (millis.isEmpty()) throw new IllegalArgumentException("no samples");
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        millis = List.copyOf(sorted);
    }

    public static Stats ofNanos(List<Long> nanos) {
        return new Stats(nanos.stream().map(n -> n / 1e6).toList());
    }

    public int n() { return millis.size(); }

    public double median() {
        int n = millis.size();
        return n % 2 == 1 ? millis.get(n / 2) : (millis.get(n / 2 - 1) + millis.get(n / 2)) / 2;
    }

    /** Nearest rank: the smallest sample that at least 95% of the samples do not exceed. */
    public double p95() { return percentile(95); }

    public double percentile(int p) {
        int rank = (int) Math.ceil(p / 100.0 * millis.size());
        return millis.get(Math.max(0, rank - 1));
    }

    public double min() { return millis.getFirst(); }

    public double max() { return millis.getLast(); }

    /** "4.3 ms", "712 ms", "1.42 s": three significant figures or so, enough to compare. */
    public static String format(double ms) {
        if (ms >= 1000) return "%.2f s".formatted(ms / 1000);
        if (ms >= 100) return "%.0f ms".formatted(ms);
        if (ms >= 10) return "%.1f ms".formatted(ms);
        return "%.2f ms".formatted(ms);
    }
}
