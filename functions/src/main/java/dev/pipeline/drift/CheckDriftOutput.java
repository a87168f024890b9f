package dev.pipeline.drift;

import java.util.List;
import java.util.Map;

/** Counts by severity, where the report went, whether a notification was sent, and the fixes applied (auto-fix). */
public record CheckDriftOutput(String environment, boolean inSync, int findings, Map<String, Integer> counts, int notChecked,
                               String bucket, String reportKey, boolean notified, List<String> fixed) {}
