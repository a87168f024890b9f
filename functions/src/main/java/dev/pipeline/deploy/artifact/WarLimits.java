package dev.pipeline.deploy.artifact;

/**
 * The bounds an upload must stay within. {@code maxRatio} applies once the inflated content passes
 * {@code ratioFloorBytes}: small text files compress far better than 100:1 and are harmless, a bomb is not small.
 */
public record WarLimits(long maxBytes, long maxUncompressedBytes, long maxRatio, long ratioFloorBytes, int maxEntries) {
    public static final long MIB = 1024L * 1024;

    /** 512 MiB uploaded, 2 GiB inflated, 100:1 past 16 MiB, 100 000 entries. */
    public static final WarLimits DEFAULT = new WarLimits(512 * MIB, 2048 * MIB, 100, 16 * MIB, 100_000);

    public WarLimits {
        if (maxBytes <= 0 || maxUncompressedBytes <= 0 || maxRatio <= 0 || ratioFloorBytes < 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("artifact limits must be positive: " + maxBytes + ", " + maxUncompressedBytes
                    + ", " + maxRatio + ", " + ratioFloorBytes + ", " + maxEntries);
        }
    }
}
