package dev.pipeline.drift;

import java.util.Map;

/** Counts by severity, where the report went, and whether a notification was sent. */
public record CheckDriftOutput(String environment, boolean inSync, int findings, Map<String, Integer> counts, int notChecked,
                               String bucket, String reportKey, boolean notified) {}
