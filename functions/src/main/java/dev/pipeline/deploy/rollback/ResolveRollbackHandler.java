package dev.pipeline.deploy.rollback;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.deploy.release.ReleaseStore;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** Lambda entry of ResolveRollback ({@code $.release} of a rollback run). Env: ENVIRONMENT_NAME, RELEASES_TABLE. */
public final class ResolveRollbackHandler extends JsonHandler<ResolveRollbackInput, ResolveRollbackOutput> {
    private final ResolveRollbackService service;

    public ResolveRollbackHandler() { this(System.getenv()); }

    public ResolveRollbackHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public ResolveRollbackHandler(ResolveRollbackService service) {
        super(ResolveRollbackInput.class);
        this.service = service;
    }

    private static ResolveRollbackService wire(Env env) {
        AwsClients aws = new AwsClients(env);
        return new ResolveRollbackService(
                new ReleaseStore(aws.get(DynamoDbClient.class, DynamoDbClient::builder), env.require("RELEASES_TABLE")),
                new RollbackImageGateway(aws.get(Ec2Client.class, Ec2Client::builder)), env.require("ENVIRONMENT_NAME"));
    }

    @Override
    protected ResolveRollbackOutput handle(ResolveRollbackInput input, Context context) {
        return service.resolve(input);
    }
}
