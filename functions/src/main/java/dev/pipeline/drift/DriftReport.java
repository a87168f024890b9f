package dev.pipeline.drift;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One drift check's result, as saved to {@code drift-reports/<env>/<timestamp>.json}: findings, the areas that
 * could not be checked, counts by severity, the safe fixes applied just before it (scheduled auto-fix; empty
 * otherwise) and a short human summary. {@link #reportVersion()} is the document format, for readers of old reports.
 */
public record DriftReport(int reportVersion, String environment, String checkedAt, boolean inSync,
                          Map<String, Integer> counts, String summary, List<Finding> findings, List<NotChecked> notChecked,
                          List<String> fixed) {

    /** 2: adds {@code fixed}. */
    public static final int VERSION = 2;

    public DriftReport {
        fixed = fixed == null ? List.of() : List.copyOf(fixed); // version 1 reports have none
    }

    public static DriftReport of(String environment, Instant checkedAt, DriftRules.Result result) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            counts.put(s.name().toLowerCase(java.util.Locale.ROOT),
                    (int) result.findings().stream().filter(f -> f.severity() == s).count());
        }
        boolean inSync = result.findings().isEmpty() && result.notChecked().isEmpty();
        return new DriftReport(VERSION, environment, checkedAt.toString(), inSync, counts, summary(environment, result, counts),
                result.findings(), result.notChecked(), List.of());
    }

    /** This report (the check after the fixes) saying which fixes were applied before it. */
    public DriftReport withFixed(List<String> applied) {
        if (applied.isEmpty()) return this;
        StringBuilder s = new StringBuilder(summary).append("\nFixed automatically before this check:");
        applied.forEach(line -> s.append("\n- ").append(line));
        return new DriftReport(reportVersion, environment, checkedAt, inSync, counts, s.toString(), findings, notChecked, applied);
    }

    /** What "the same drift" means between two checks: the same findings (rule + resource) and the same unread areas. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Set<String> keys() {
        Set<String> keys = findings.stream().map(Finding::key).collect(Collectors.toCollection(TreeSet::new));
        notChecked.forEach(n -> keys.add("not-checked " + n.area()));
        return keys;
    }

    private static String summary(String environment, DriftRules.Result result, Map<String, Integer> counts) {
        StringBuilder s = new StringBuilder();
        if (result.findings().isEmpty()) {
            s.append(environment).append(": in sync with its spec");
        } else {
            s.append(environment).append(": ").append(result.findings().size()).append(" drift finding(s) (")
                    .append(counts.entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getValue() + " " + e.getKey())
                            .collect(Collectors.joining(", "))).append(")");
            for (Finding f : result.findings()) {
                s.append("\n- [").append(f.severity()).append("] ").append(f.id()).append(" ").append(f.resource())
                        .append(": expected ").append(f.expected()).append(", found ").append(f.actual()).append(". Fix: ").append(f.fix());
            }
        }
        for (NotChecked n : result.notChecked()) {
            s.append("\n- not checked: ").append(n.resource()).append(" (").append(n.reason()).append(")");
        }
        return s.toString();
    }
}
