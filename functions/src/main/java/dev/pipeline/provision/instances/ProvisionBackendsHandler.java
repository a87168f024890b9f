package dev.pipeline.provision.instances;

import dev.pipeline.provision.StageInputs;
import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.Map;

/** ProvisionBackends: db01, mc01 and rmq01 found or launched; {@code ready} once all run. Idempotent by tags and ClientToken. */
public final class ProvisionBackendsHandler extends JsonHandler<ProvisionBackendsInput, ProvisionBackendsOutput> {
    private final ProvisionBackendsService service;

    public ProvisionBackendsHandler() { this(System.getenv()); }

    public ProvisionBackendsHandler(Map<String, String> environment) { this(wire(new Env(environment))); }

    public ProvisionBackendsHandler(ProvisionBackendsService service) {
        super(ProvisionBackendsInput.class);
        this.service = service;
    }

    private static ProvisionBackendsService wire(Env env) {
        String bucket = env.require("ARTIFACT_BUCKET");
        String profile = env.require("BACKEND_INSTANCE_PROFILE");
        AwsClients aws = new AwsClients(env);
        return new ProvisionBackendsService(new InstanceGateway(aws.get(Ec2Client.class, Ec2Client::builder),
                aws.get(SsmClient.class, SsmClient::builder)), new UserDataRenderer(), bucket, profile);
    }

    @Override
    protected ProvisionBackendsOutput handle(ProvisionBackendsInput in, Context context) {
        return service.provision(StageInputs.spec(in.spec()), StageInputs.run(in.run()), in.securityGroups(), in.secrets());
    }
}
