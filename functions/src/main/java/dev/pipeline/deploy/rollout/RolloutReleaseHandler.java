package dev.pipeline.deploy.rollout;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.alarms.AlarmGateway;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** Lambda entry of RolloutRelease: one instance refresh per release, followed call by call until it ends. */
public final class RolloutReleaseHandler extends JsonHandler<RolloutReleaseInput, RolloutReleaseOutput> {
    private final RolloutReleaseService service;

    public RolloutReleaseHandler() { this(System.getenv()); }

    public RolloutReleaseHandler(Map<String, String> env) {
        this(wire(new AwsClients(new Env(env))));
    }

    public RolloutReleaseHandler(RolloutReleaseService service) {
        super(RolloutReleaseInput.class);
        this.service = service;
    }

    private static RolloutReleaseService wire(AwsClients aws) {
        return new RolloutReleaseService(new ReleaseTemplateGateway(aws.get(Ec2Client.class, Ec2Client::builder)),
                new RefreshGateway(aws.get(AutoScalingClient.class, AutoScalingClient::builder)),
                new AlarmGateway(aws.get(CloudWatchClient.class, CloudWatchClient::builder)));
    }

    @Override
    protected RolloutReleaseOutput handle(RolloutReleaseInput input, Context context) {
        return service.rollout(input);
    }
}
