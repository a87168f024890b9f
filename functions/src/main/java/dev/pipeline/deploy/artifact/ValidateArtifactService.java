package dev.pipeline.deploy.artifact;

import dev.pipeline.functions.RetryableException;
import dev.pipeline.functions.StageFailedException;

/**
 * Checks an uploaded WAR before anything changes: the object version still exists, its size (from its metadata,
 * before any download), its central directory (ranged reads of the end), then its content streamed through
 * {@link WarValidator} and compared with that directory. Reads only, so any retry is safe.
 */
public final class ValidateArtifactService {
    private final ArtifactGateway s3;
    private final WarValidator validator;
    private final WarLimits limits;
    private final String artifactBucket;

    public ValidateArtifactService(ArtifactGateway s3, WarLimits limits, String artifactBucket) {
        this.s3 = s3;
        this.validator = new WarValidator(limits);
        this.limits = limits;
        this.artifactBucket = artifactBucket;
    }

    public ValidateArtifactOutput validate(ArtifactRef ref) {
        if (!ref.bucket().equals(artifactBucket)) {
            throw new StageFailedException("s3://" + ref.bucket() + "/" + ref.key() + " is not in the artifact bucket "
                    + artifactBucket + "; only uploads there are deployed");
        }
        try {
            // pin the version first: with no version id in the input, a later upload must not swap the bytes under us
            ArtifactGateway.StoredObject stored = s3.head(ref.bucket(), ref.key(), ref.versionId())
                    .orElseThrow(() -> gone(ref));
            String strategy = stored.metadata().get(ValidateArtifactOutput.STRATEGY_METADATA);
            if (strategy != null && dev.pipeline.spec.Deployment.Strategy.of(strategy).isEmpty()) {
                throw new ArtifactRejectedException(ArtifactRejectedException.Reason.BAD_METADATA, "its metadata "
                        + ValidateArtifactOutput.STRATEGY_METADATA + " is \"" + strategy + "\"; it must be "
                        + dev.pipeline.spec.Deployment.Strategy.accepted());
            }
            if (stored.size() == 0) {
                throw new ArtifactRejectedException(ArtifactRejectedException.Reason.EMPTY, "the upload is empty (0 bytes)");
            }
            if (stored.size() > limits.maxBytes()) {
                throw new ArtifactRejectedException(ArtifactRejectedException.Reason.TOO_LARGE, "the upload is "
                        + stored.size() + " bytes, more than the limit of " + limits.maxBytes());
            }
            // the central directory first, by ranged reads of the object's end: what Tomcat will open the WAR by
            CentralDirectory directory = CentralDirectory.read((offset, length) -> s3.range(ref.bucket(), ref.key(),
                    stored.versionId(), offset, length).orElseThrow(() -> gone(ref)), stored.size(), limits);
            WarInspection war = s3.read(ref.bucket(), ref.key(), stored.versionId(), in -> validator.inspect(in, directory))
                    .orElseThrow(() -> gone(ref));
            return new ValidateArtifactOutput(ref.bucket(), ref.key(), stored.versionId(), war.sha256(), war.size(), strategy);
        } catch (java.io.UncheckedIOException e) {
            // the download broke off; the same version read again may well succeed
            throw new RetryableException("reading " + describe(ref) + " failed: " + e.getCause().getMessage(), e);
        } catch (ArtifactRejectedException e) {
            throw new StageFailedException("rejected " + describe(ref) + " (" + e.reason() + "): " + e.getMessage(), e);
        }
    }

    private static StageFailedException gone(ArtifactRef ref) {
        return new StageFailedException(describe(ref) + " is gone: it was deleted or overwritten before it could be deployed");
    }

    private static String describe(ArtifactRef ref) {
        return "s3://" + ref.bucket() + "/" + ref.key() + (ref.versionId() == null ? "" : " version " + ref.versionId());
    }
}
