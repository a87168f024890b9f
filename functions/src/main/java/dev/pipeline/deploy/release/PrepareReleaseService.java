package dev.pipeline.deploy.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.manifest.AppliedManifest;
import dev.pipeline.provision.manifest.ManifestGateway;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.InvalidSpecException;

/**
 * PrepareRelease: the spec the environment was provisioned with (the applied manifest's {@code spec}), validated,
 * for {@code $.spec}; and a check that the execution input names an upload. Reads only, so any number of runs agree.
 */
public class PrepareReleaseService {
    private final ManifestGateway manifests;
    private final String environment;

    public PrepareReleaseService(ManifestGateway manifests, String environment) {
        this.manifests = manifests;
        this.environment = environment;
    }

    public ObjectNode prepare(PrepareReleaseInput input) {
        String mode = input.mode() == null ? "upload" : input.mode();
        if (!mode.equals("upload") && !mode.equals("rollback")) {
            throw new StageFailedException("$.mode must be \"upload\" or \"rollback\", got \"" + mode + "\"");
        }
        Upload upload = UploadInput.require(input.upload());
        if (mode.equals("upload") && (upload.bucket() == null || upload.key() == null)) {
            throw new StageFailedException("upload " + upload.id() + " names no object: $.upload needs bucket and key");
        }
        String where = "s3://" + manifests.bucket() + "/" + AppliedManifest.key(environment);
        JsonNode manifest = manifests.read(environment).orElseThrow(() -> new StageFailedException("environment " + environment
                + " is not provisioned (no applied manifest at " + where + "): run the provisioning workflow first"));
        JsonNode tree = manifest.path("spec");
        if (!tree.isObject()) {
            throw new StageFailedException("the applied manifest " + where + " holds no spec: provision " + environment + " again");
        }
        EnvironmentSpec spec;
        try {
            spec = EnvironmentSpecs.fromTree(tree);
        } catch (InvalidSpecException e) {
            throw new StageFailedException("the spec in " + where + " is not valid (" + e.getMessage()
                    + "): provision " + environment + " again with a valid spec", e);
        }
        if (!spec.name().equals(environment)) {
            throw new StageFailedException(where + " holds the spec of environment " + spec.name() + ", not " + environment);
        }
        return EnvironmentSpecs.toTree(spec);
    }
}
