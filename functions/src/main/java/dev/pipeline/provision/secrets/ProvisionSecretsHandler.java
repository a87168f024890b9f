package dev.pipeline.provision.secrets;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.StageInputs;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.Map;

/** ProvisionSecrets: {@code $.spec} in, the two parameter names out; identity by name, values never overwritten. */
public final class ProvisionSecretsHandler extends JsonHandler<ProvisionSecretsInput, ProvisionSecretsOutput> {
    private final ProvisionSecretsService service;

    public ProvisionSecretsHandler() { this(System.getenv()); }

    public ProvisionSecretsHandler(Map<String, String> env) { this(wire(new AwsClients(new Env(env)))); }

    public ProvisionSecretsHandler(ProvisionSecretsService service) {
        super(ProvisionSecretsInput.class);
        this.service = service;
    }

    private static ProvisionSecretsService wire(AwsClients aws) {
        return new ProvisionSecretsService(new SecretsGateway(aws.get(SsmClient.class, SsmClient::builder),
                aws.get(S3Client.class, S3Client::builder)), new PasswordGenerator());
    }

    @Override
    protected ProvisionSecretsOutput handle(ProvisionSecretsInput input, Context context) {
        return service.provision(StageInputs.spec(input.spec()));
    }
}
