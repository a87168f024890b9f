package dev.pipeline.deploy.release;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.manifest.ManifestGateway;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.Map;

/** Lambda entry of RecordRelease ({@code $.record}). Env: ENVIRONMENT_NAME, RELEASES_TABLE, ARTIFACT_BUCKET. */
public final class RecordReleaseHandler extends JsonHandler<RecordReleaseInput, RecordReleaseOutput> {
    private final RecordReleaseService service;

    public RecordReleaseHandler() { this(System.getenv()); }

    public RecordReleaseHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public RecordReleaseHandler(RecordReleaseService service) {
        super(RecordReleaseInput.class);
        this.service = service;
    }

    /** The service as the Lambda wires it from its environment (DeployAbandoned reuses it). */
    public static RecordReleaseService wire(Env env) {
        AwsClients aws = new AwsClients(env);
        return new RecordReleaseService(
                new ReleaseStore(aws.get(DynamoDbClient.class, DynamoDbClient::builder), env.require("RELEASES_TABLE")),
                new ManifestGateway(aws.get(S3Client.class, S3Client::builder), env.require("ARTIFACT_BUCKET")),
                env.require("ENVIRONMENT_NAME"), Clock.systemUTC());
    }

    @Override
    protected RecordReleaseOutput handle(RecordReleaseInput input, Context context) {
        return service.record(input);
    }
}
