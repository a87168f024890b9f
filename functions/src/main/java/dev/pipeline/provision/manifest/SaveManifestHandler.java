package dev.pipeline.provision.manifest;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.Map;

/** SaveManifest: the applied manifest to s3://ARTIFACT_BUCKET/pipeline/&lt;env&gt;/manifest.json. */
public final class SaveManifestHandler extends JsonHandler<SaveManifestInput, SaveManifestOutput> {
    private final SaveManifestService service;

    public SaveManifestHandler() { this(System.getenv()); }

    public SaveManifestHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public SaveManifestHandler(SaveManifestService service) {
        super(SaveManifestInput.class);
        this.service = service;
    }

    private static SaveManifestService wire(Env env) {
        String bucket = env.require("ARTIFACT_BUCKET");
        return new SaveManifestService(new ManifestGateway(new AwsClients(env).get(S3Client.class, S3Client::builder), bucket),
                Clock.systemUTC());
    }

    @Override
    protected SaveManifestOutput handle(SaveManifestInput input, Context context) {
        return service.save(input);
    }
}
