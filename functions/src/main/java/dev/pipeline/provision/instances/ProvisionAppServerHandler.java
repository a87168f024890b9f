package dev.pipeline.provision.instances;

import dev.pipeline.provision.StageInputs;
import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.Map;

/** ProvisionAppServer: app01 found or launched (skipped once a golden image exists); {@code ready} once it runs. Idempotent by tags and ClientToken. */
public final class ProvisionAppServerHandler extends JsonHandler<ProvisionAppServerInput, ProvisionAppServerOutput> {
    private final ProvisionAppServerService service;

    public ProvisionAppServerHandler() { this(System.getenv()); }

    public ProvisionAppServerHandler(Map<String, String> environment) { this(wire(new Env(environment))); }

    public ProvisionAppServerHandler(ProvisionAppServerService service) {
        super(ProvisionAppServerInput.class);
        this.service = service;
    }

    private static ProvisionAppServerService wire(Env env) {
        String bucket = env.require("ARTIFACT_BUCKET");
        String profile = env.require("APP_INSTANCE_PROFILE");
        AwsClients aws = new AwsClients(env);
        return new ProvisionAppServerService(new InstanceGateway(aws.get(Ec2Client.class, Ec2Client::builder),
                aws.get(SsmClient.class, SsmClient::builder)), new UserDataRenderer(), bucket, profile,
                new dev.pipeline.provision.bootstrap.BootstrapArtifacts(new dev.pipeline.provision.bootstrap.BootstrapGateway(
                        aws.get(software.amazon.awssdk.services.s3.S3Client.class, software.amazon.awssdk.services.s3.S3Client::builder)), bucket));
    }

    @Override
    protected ProvisionAppServerOutput handle(ProvisionAppServerInput in, Context context) {
        return service.provision(StageInputs.spec(in.spec()), StageInputs.run(in.run()), in.securityGroups(), in.secrets());
    }
}
