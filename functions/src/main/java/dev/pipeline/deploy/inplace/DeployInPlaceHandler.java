package dev.pipeline.deploy.inplace;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Lambda entry of DeployInPlace ({@code $.inPlace}). Env: ARTIFACT_BUCKET, SCRATCH_DIR (default the function's /tmp). */
public final class DeployInPlaceHandler extends JsonHandler<DeployInPlaceInput, DeployInPlaceOutput> {
    private final DeployInPlaceService service;

    public DeployInPlaceHandler() { this(System.getenv()); }

    public DeployInPlaceHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public DeployInPlaceHandler(DeployInPlaceService service) {
        super(DeployInPlaceInput.class);
        this.service = service;
    }

    private static DeployInPlaceService wire(Env env) {
        AwsClients aws = new AwsClients(env);
        return new DeployInPlaceService(new InPlaceGateway(aws.get(S3Client.class, S3Client::builder),
                aws.get(CodeDeployClient.class, CodeDeployClient::builder)), env.require("ARTIFACT_BUCKET"),
                Path.of(env.optional("SCRATCH_DIR", System.getProperty("java.io.tmpdir"))), Clock.systemUTC());
    }

    @Override
    protected DeployInPlaceOutput handle(DeployInPlaceInput input, Context context) {
        return service.deploy(input);
    }
}
