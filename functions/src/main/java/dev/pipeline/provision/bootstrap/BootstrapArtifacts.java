package dev.pipeline.provision.bootstrap;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.SpecDefaults;

import java.util.Optional;

/**
 * The rule for the WAR app01 boots with (artifacts.bootstrapWarKey): the default key {@value SpecDefaults#BOOTSTRAP_WAR_KEY}
 * is the pipeline's own (when absent, provisioning puts the sample app there, and the first release replaces it);
 * any other key is the user's and must exist before anything is created. db01's schema dump is optional: without
 * it the database starts empty (userdata/db.sh says so in its log).
 */
public final class BootstrapArtifacts {
    private final BootstrapGateway s3;
    private final String defaultBucket;

    /**
     * @param defaultBucket the stack's artifact bucket; null before {@code sam deploy} has created it (the
     *                      preflight of an account), when only a bucket the spec names can hold a WAR already
     */
    public BootstrapArtifacts(BootstrapGateway s3, String defaultBucket) {
        this.s3 = s3;
        this.defaultBucket = defaultBucket;
    }

    public String bucket(EnvironmentSpec spec) {
        return spec.artifacts().bucket().orElse(defaultBucket);
    }

    /** ValidateSpec: a WAR key the spec names must exist; the problem names it and the command that uploads it. */
    public Optional<String> missingNamedWar(EnvironmentSpec spec) {
        String key = spec.artifacts().bootstrapWarKey();
        if (SpecDefaults.BOOTSTRAP_WAR_KEY.equals(key)) return Optional.empty();
        if (spec.artifacts().bucket().isEmpty() && defaultBucket == null) {
            return Optional.of(key + " would be read from the artifact bucket that sam deploy creates, so it cannot exist "
                    + "when provisioning starts and the first deploy would fail. Put the WAR in a bucket of your own and "
                    + "name it in artifacts.bucket, or leave bootstrapWarKey out: app01 boots with the pipeline's sample "
                    + "app, and your WAR goes live when you upload it to releases/");
        }
        String bucket = bucket(spec);
        if (s3.exists(bucket, key)) return Optional.empty();
        return Optional.of("s3://" + bucket + "/" + key + " does not exist; app01 would fail to "
                + "boot without it. Upload it first (aws s3 cp your-app.war s3://" + bucket + "/" + key + "), or leave "
                + "bootstrapWarKey out to start with the pipeline's sample app");
    }

    /** Before app01 launches: puts the sample app at the default key when nothing is there. */
    public void ensureDefaultWar(EnvironmentSpec spec) {
        String key = spec.artifacts().bootstrapWarKey();
        String bucket = bucket(spec);
        if (s3.exists(bucket, key)) return;
        if (!SpecDefaults.BOOTSTRAP_WAR_KEY.equals(key)) {
            throw new StageFailedException("s3://" + bucket + "/" + key + " (artifacts.bootstrapWarKey) does not exist; upload it "
                    + "with aws s3 cp your-app.war s3://" + bucket + "/" + key + " and run provisioning again");
        }
        s3.put(bucket, key, BootstrapWar.build(bucket, spec.loadBalancer().healthCheck().path()), "application/java-archive");
    }
}
