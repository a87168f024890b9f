package dev.pipeline.provision.fleet;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.codedeploy.CodeDeployGateway;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** Lambda entry of TeardownFleet: the CodeDeploy deployment group and application, the Auto Scaling group (instances included), then the launch template; NotFound is done. */
public final class TeardownFleetHandler extends JsonHandler<TeardownFleetInput, TeardownFleetOutput> {
    private final TeardownFleetService service;

    public TeardownFleetHandler() { this(System.getenv()); }

    public TeardownFleetHandler(Map<String, String> env) {
        this(wire(new AwsClients(new Env(env))));
    }

    public TeardownFleetHandler(TeardownFleetService service) {
        super(TeardownFleetInput.class);
        this.service = service;
    }

    private static TeardownFleetService wire(AwsClients clients) {
        return new TeardownFleetService(new AutoScalingGateway(clients.get(AutoScalingClient.class, AutoScalingClient::builder)),
                new LaunchTemplateGateway(clients.get(Ec2Client.class, Ec2Client::builder)),
                new CodeDeployGateway(clients.get(CodeDeployClient.class, CodeDeployClient::builder)));
    }

    @Override
    protected TeardownFleetOutput handle(TeardownFleetInput input, Context context) {
        return service.teardown(input);
    }
}
