package dev.pipeline.deploy.release;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.Map;

/** Lambda entry of AcquireLock ({@code $.lock}). Env: ENVIRONMENT_NAME, LOCK_TABLE. */
public final class AcquireLockHandler extends JsonHandler<AcquireLockInput, AcquireLockOutput> {
    private final AcquireLockService service;

    public AcquireLockHandler() { this(System.getenv()); }

    public AcquireLockHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public AcquireLockHandler(AcquireLockService service) {
        super(AcquireLockInput.class);
        this.service = service;
    }

    private static AcquireLockService wire(Env env) {
        DynamoDbClient dynamo = new AwsClients(env).get(DynamoDbClient.class, DynamoDbClient::builder);
        return new AcquireLockService(new DeployLock(dynamo, env.require("LOCK_TABLE"), Clock.systemUTC()),
                env.require("ENVIRONMENT_NAME"));
    }

    @Override
    protected AcquireLockOutput handle(AcquireLockInput input, Context context) {
        return service.acquire(input);
    }
}
