package dev.pipeline.deploy.bake;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.instances.InstanceGateway;
import dev.pipeline.provision.network.SecurityGroupGateway;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.Map;

/** Lambda entry of BakeRelease: the release's AMI at {@code $.release}, baked once per release (or reused per sha256). */
public final class BakeReleaseHandler extends JsonHandler<BakeReleaseInput, BakeReleaseOutput> {
    private final BakeReleaseService service;

    public BakeReleaseHandler() { this(System.getenv()); }

    public BakeReleaseHandler(Map<String, String> env) {
        this(wire(new Env(env)));
    }

    public BakeReleaseHandler(BakeReleaseService service) {
        super(BakeReleaseInput.class);
        this.service = service;
    }

    private static BakeReleaseService wire(Env env) {
        String profile = env.require("APP_INSTANCE_PROFILE");
        AwsClients aws = new AwsClients(env);
        Ec2Client ec2 = aws.get(Ec2Client.class, Ec2Client::builder);
        SsmClient ssm = aws.get(SsmClient.class, SsmClient::builder);
        return new BakeReleaseService(new BakeGateway(ec2, ssm), new InstanceGateway(ec2, ssm), new SecurityGroupGateway(ec2), profile);
    }

    @Override
    protected BakeReleaseOutput handle(BakeReleaseInput input, Context context) {
        return service.bake(input);
    }
}
