package dev.pipeline.provision.secrets;

import java.util.List;

/**
 * @param ready   always true: SSM and S3 deletions take effect at once
 * @param deleted the parameter names this call deleted, and the manifest's s3:// URI (S3 does not say whether
 *                it existed)
 */
public record TeardownSecretsOutput(boolean ready, List<String> deleted) {

    public TeardownSecretsOutput {
        deleted = List.copyOf(deleted);
    }
}
