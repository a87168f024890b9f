package dev.pipeline.local.gateway;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts every AWS request the gateway receives, per "service:Operation", faulted attempts included. */
public final class CallCounters {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void increment(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** The count for one "service:Operation". */
    public long get(String key) {
        LongAdder a = counts.get(key);
        return a == null ? 0 : a.sum();
    }

    /** Sum over all operations of one service (or of every service for "*"). */
    public long total(String service) {
        return snapshot().entrySet().stream()
                .filter(e -> "*".equals(service) || e.getKey().startsWith(service + ":"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Sorted copy of all counts. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public void clear() { counts.clear(); }
}
