package dev.pipeline.provision.fleet;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

import java.util.Map;

/** Lambda entry of ProvisionAutoScalingGroup: the app server group, found by name, converged, ready once its instances are in service. */
public final class ProvisionAutoScalingGroupHandler extends JsonHandler<ProvisionAutoScalingGroupInput, ProvisionAutoScalingGroupOutput> {
    private final ProvisionAutoScalingGroupService service;

    public ProvisionAutoScalingGroupHandler() { this(System.getenv()); }

    public ProvisionAutoScalingGroupHandler(Map<String, String> env) {
        this(new ProvisionAutoScalingGroupService(new AutoScalingGateway(new AwsClients(new Env(env))
                .get(AutoScalingClient.class, AutoScalingClient::builder))));
    }

    public ProvisionAutoScalingGroupHandler(ProvisionAutoScalingGroupService service) {
        super(ProvisionAutoScalingGroupInput.class);
        this.service = service;
    }

    @Override
    protected ProvisionAutoScalingGroupOutput handle(ProvisionAutoScalingGroupInput input, Context context) {
        return service.provision(input);
    }
}
