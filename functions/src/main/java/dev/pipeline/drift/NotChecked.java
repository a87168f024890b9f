package dev.pipeline.drift;

/** An area the check could not read (access denied): reported instead of silently passing. */
public record NotChecked(Area area, String resource, String reason) {}
