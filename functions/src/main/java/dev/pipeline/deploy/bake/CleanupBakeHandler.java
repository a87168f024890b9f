package dev.pipeline.deploy.bake;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.instances.InstanceGateway;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.Map;

/** Lambda entry of CleanupBake: no builder, AMI or snapshot of a failed release is left behind. Idempotent. */
public final class CleanupBakeHandler extends JsonHandler<CleanupBakeInput, CleanupBakeOutput> {
    private final CleanupBakeService service;

    public CleanupBakeHandler() { this(System.getenv()); }

    public CleanupBakeHandler(Map<String, String> env) {
        this(wire(new Env(env)));
    }

    public CleanupBakeHandler(CleanupBakeService service) {
        super(CleanupBakeInput.class);
        this.service = service;
    }

    /** The service as the Lambda wires it from its environment (DeployAbandoned reuses it). */
    public static CleanupBakeService wire(Env env) {
        String environment = env.require("ENVIRONMENT_NAME");
        AwsClients aws = new AwsClients(env);
        Ec2Client ec2 = aws.get(Ec2Client.class, Ec2Client::builder);
        return new CleanupBakeService(new BakeGateway(ec2, aws.get(SsmClient.class, SsmClient::builder)),
                new InstanceGateway(ec2), environment);
    }

    @Override
    protected CleanupBakeOutput handle(CleanupBakeInput input, Context context) {
        return service.cleanup(input);
    }
}
