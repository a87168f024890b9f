package dev.pipeline.deploy.artifact;

/** What {@link WarValidator} learned from an accepted WAR: its size, sha256 (hex) and content totals. */
public record WarInspection(long size, String sha256, int entries, long uncompressedBytes) {}
