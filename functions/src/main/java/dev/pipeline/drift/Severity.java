package dev.pipeline.drift;

/** How urgent a finding is: critical = exposed or down now, high = the next deploy or failover breaks, medium = differs from the spec, low = cosmetic. */
public enum Severity { CRITICAL, HIGH, MEDIUM, LOW }
