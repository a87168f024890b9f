package dev.pipeline.deploy.artifact;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;

/** Deploy stage ValidateArtifact: a rejected or vanished upload fails here, before anything changes. Reads only. */
public final class ValidateArtifactHandler extends JsonHandler<ValidateArtifactInput, ValidateArtifactOutput> {
    private final ValidateArtifactService service;

    public ValidateArtifactHandler() { this(System.getenv()); }

    public ValidateArtifactHandler(Map<String, String> env) { this(service(new Env(env))); }

    public ValidateArtifactHandler(ValidateArtifactService service) {
        super(ValidateArtifactInput.class);
        this.service = service;
    }

    @Override
    protected ValidateArtifactOutput handle(ValidateArtifactInput input, Context context) {
        return service.validate(input.ref());
    }

    private static ValidateArtifactService service(Env env) {
        WarLimits d = WarLimits.DEFAULT;
        WarLimits limits = new WarLimits(
                Long.parseLong(env.optional("ARTIFACT_MAX_BYTES", Long.toString(d.maxBytes()))),
                Long.parseLong(env.optional("ARTIFACT_MAX_UNCOMPRESSED_BYTES", Long.toString(d.maxUncompressedBytes()))),
                d.maxRatio(), d.ratioFloorBytes(), d.maxEntries());
        S3Client s3 = new AwsClients(env).get(S3Client.class, S3Client::builder);
        return new ValidateArtifactService(new ArtifactGateway(s3), limits, env.require("ARTIFACT_BUCKET"));
    }
}
