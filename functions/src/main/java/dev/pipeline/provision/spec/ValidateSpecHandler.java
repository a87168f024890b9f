package dev.pipeline.provision.spec;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** ValidateSpec: {@code $.spec} in, the normalized spec out (the ASL puts it back at {@code $.spec}); read-only. */
public final class ValidateSpecHandler extends JsonHandler<ValidateSpecInput, JsonNode> {
    private final ValidateSpecService service;

    public ValidateSpecHandler() { this(System.getenv()); }

    public ValidateSpecHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public ValidateSpecHandler(ValidateSpecService service) {
        super(ValidateSpecInput.class);
        this.service = service;
    }

    private static ValidateSpecService wire(Env env) {
        AwsClients aws = new AwsClients(env);
        return new ValidateSpecService(new NetworkGateway(aws.get(Ec2Client.class, Ec2Client::builder)), env.require("AWS_REGION"),
                new dev.pipeline.provision.bootstrap.BootstrapArtifacts(new dev.pipeline.provision.bootstrap.BootstrapGateway(
                        aws.get(software.amazon.awssdk.services.s3.S3Client.class, software.amazon.awssdk.services.s3.S3Client::builder)),
                        env.require("ARTIFACT_BUCKET")));
    }

    @Override
    protected JsonNode handle(ValidateSpecInput input, Context context) { return service.validate(input.spec(), input.checksNetwork()); }
}
