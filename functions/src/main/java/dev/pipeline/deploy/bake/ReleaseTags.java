package dev.pipeline.deploy.bake;

/**
 * The tags that tie builders, release AMIs and their snapshots to a release. A release AMI is found again by them:
 * by {@link #RELEASE} for the image this release is baking, and by {@link #ARTIFACT_SHA256} + {@link #BASE_AMI}
 * for an earlier release's image of the same WAR on the same golden image (the bake key).
 */
public final class ReleaseTags {
    /** {@code pipeline:component} of an instance that exists only to be imaged for one release. */
    public static final String BUILDER = "builder";
    /** {@code pipeline:component} of an AMI baked for a release. */
    public static final String RELEASE_AMI = "release-ami";
    /** {@code pipeline:component} of the provisioning workflow's golden image, the base of every bake. */
    public static final String GOLDEN_AMI = "golden-ami";

    public static final String RELEASE = "pipeline:release";
    public static final String ARTIFACT_SHA256 = "pipeline:artifact-sha256";
    public static final String ARTIFACT_KEY = "pipeline:artifact-key";
    public static final String ARTIFACT_VERSION = "pipeline:artifact-version";
    public static final String BASE_AMI = "pipeline:base-ami";

    /** EC2's limit on a tag value, in Unicode characters. */
    static final int MAX_VALUE_CHARS = 256;

    private ReleaseTags() {}

    /** {@code value} cut to EC2's tag value limit, counting code points (a cut never splits a character). */
    static String value(String value) {
        if (value.codePointCount(0, value.length()) <= MAX_VALUE_CHARS) return value;
        return value.substring(0, value.offsetByCodePoints(0, MAX_VALUE_CHARS));
    }
}
