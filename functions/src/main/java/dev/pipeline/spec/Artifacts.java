package dev.pipeline.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * Where WARs live. Uploads under {@link #RELEASES_PREFIX} trigger a deploy; the bootstrap WAR (deployed when
 * the environment is first provisioned) must therefore live elsewhere, or provisioning would trigger itself.
 *
 * @param bucket       an existing bucket to use; when empty the pipeline uses a generated name
 *                     ({@link EnvironmentSpec#artifactBucketName(String, String)})
 * @param keepReleases how many baked releases (AMIs) to keep; at least 2: the live one and the one a rollback
 *                     returns to
 */
public record Artifacts(Optional<String> bucket, String bootstrapWarKey, int keepReleases) {

    public static final String RELEASES_PREFIX = "releases/";

    public Artifacts {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(bootstrapWarKey, "bootstrapWarKey");
    }
}
