package dev.pipeline.deploy.release;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.manifest.ManifestGateway;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;

/** Lambda entry of PrepareRelease: the provisioned spec for {@code $.spec}. Env: ENVIRONMENT_NAME, ARTIFACT_BUCKET. */
public final class PrepareReleaseHandler extends JsonHandler<PrepareReleaseInput, ObjectNode> {
    private final PrepareReleaseService service;

    public PrepareReleaseHandler() { this(System.getenv()); }

    public PrepareReleaseHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public PrepareReleaseHandler(PrepareReleaseService service) {
        super(PrepareReleaseInput.class);
        this.service = service;
    }

    private static PrepareReleaseService wire(Env env) {
        return new PrepareReleaseService(new ManifestGateway(new AwsClients(env).get(S3Client.class, S3Client::builder),
                env.require("ARTIFACT_BUCKET")), env.require("ENVIRONMENT_NAME"));
    }

    @Override
    protected ObjectNode handle(PrepareReleaseInput input, Context context) {
        return service.prepare(input);
    }
}
