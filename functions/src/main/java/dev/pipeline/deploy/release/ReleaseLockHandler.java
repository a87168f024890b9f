package dev.pipeline.deploy.release;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.deploy.trigger.ExecutionGateway;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.notify.NotificationGateway;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Clock;
import java.util.Map;

/**
 * Lambda entry of ReleaseLock ({@code $.handoff}). Env: ENVIRONMENT_NAME, LOCK_TABLE, RELEASES_TABLE,
 * NOTIFICATION_TOPIC_ARN.
 */
public final class ReleaseLockHandler extends JsonHandler<ReleaseLockInput, ReleaseLockOutput> {
    private final ReleaseLockService service;

    public ReleaseLockHandler() { this(System.getenv()); }

    public ReleaseLockHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public ReleaseLockHandler(ReleaseLockService service) {
        super(ReleaseLockInput.class);
        this.service = service;
    }

    /** The service as the Lambda wires it from its environment (DeployAbandoned reuses it). */
    public static ReleaseLockService wire(Env env) {
        AwsClients aws = new AwsClients(env);
        DynamoDbClient dynamo = aws.get(DynamoDbClient.class, DynamoDbClient::builder);
        return new ReleaseLockService(new DeployLock(dynamo, env.require("LOCK_TABLE"), Clock.systemUTC()),
                new ReleaseStore(dynamo, env.require("RELEASES_TABLE")),
                new NotificationGateway(aws.get(SnsClient.class, SnsClient::builder), env.require("NOTIFICATION_TOPIC_ARN")),
                new ExecutionGateway(aws.get(SfnClient.class, SfnClient::builder)), env.require("ENVIRONMENT_NAME"), Clock.systemUTC());
    }

    @Override
    protected ReleaseLockOutput handle(ReleaseLockInput input, Context context) {
        return service.release(input);
    }
}
