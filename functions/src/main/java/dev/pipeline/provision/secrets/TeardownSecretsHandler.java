package dev.pipeline.provision.secrets;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.StageInputs;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.Map;

/** TeardownSecrets: deletes the environment's credential parameters and applied manifest; safe to repeat. */
public final class TeardownSecretsHandler extends JsonHandler<TeardownSecretsInput, TeardownSecretsOutput> {
    private final TeardownSecretsService service;

    public TeardownSecretsHandler() { this(System.getenv()); }

    public TeardownSecretsHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public TeardownSecretsHandler(TeardownSecretsService service) {
        super(TeardownSecretsInput.class);
        this.service = service;
    }

    private static TeardownSecretsService wire(Env env) {
        AwsClients aws = new AwsClients(env);
        return new TeardownSecretsService(new SecretsGateway(aws.get(SsmClient.class, SsmClient::builder),
                aws.get(S3Client.class, S3Client::builder)), env.require("ARTIFACT_BUCKET"));
    }

    @Override
    protected TeardownSecretsOutput handle(TeardownSecretsInput input, Context context) {
        return service.teardown(StageInputs.spec(input.spec()));
    }
}
