package dev.pipeline.deploy.rollout;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** Lambda entry of CreateReleaseVersion: the release's launch template version, made once per image. */
public final class CreateReleaseVersionHandler extends JsonHandler<CreateReleaseVersionInput, CreateReleaseVersionOutput> {
    private final CreateReleaseVersionService service;

    public CreateReleaseVersionHandler() { this(System.getenv()); }

    public CreateReleaseVersionHandler(Map<String, String> env) {
        this(wire(new AwsClients(new Env(env))));
    }

    public CreateReleaseVersionHandler(CreateReleaseVersionService service) {
        super(CreateReleaseVersionInput.class);
        this.service = service;
    }

    private static CreateReleaseVersionService wire(AwsClients aws) {
        return new CreateReleaseVersionService(new ReleaseTemplateGateway(aws.get(Ec2Client.class, Ec2Client::builder)),
                new RefreshGateway(aws.get(AutoScalingClient.class, AutoScalingClient::builder)));
    }

    @Override
    protected CreateReleaseVersionOutput handle(CreateReleaseVersionInput input, Context context) {
        return service.create(input);
    }
}
