package dev.pipeline.provision.secrets;

import dev.pipeline.spec.EnvironmentSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Converges to absent: the environment's two credential parameters and its applied manifest object. Anything
 * already gone is done, so it can run any number of times.
 */
public final class TeardownSecretsService {
    private final SecretsGateway secrets;
    private final String artifactBucket;

    public TeardownSecretsService(SecretsGateway secrets, String artifactBucket) {
        this.secrets = secrets;
        this.artifactBucket = artifactBucket;
    }

    public TeardownSecretsOutput teardown(EnvironmentSpec spec) {
        List<String> deleted = new ArrayList<>(secrets.deleteParameters(SecretParameters.all(spec.name())));
        String key = SecretParameters.manifestKey(spec.name());
        secrets.deleteObject(artifactBucket, key);
        deleted.add("s3://" + artifactBucket + "/" + key);
        return new TeardownSecretsOutput(true, deleted);
    }
}
