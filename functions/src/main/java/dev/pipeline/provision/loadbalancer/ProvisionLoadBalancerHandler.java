package dev.pipeline.provision.loadbalancer;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.alarms.AlarmGateway;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

import java.util.Map;

/** Lambda entry of ProvisionLoadBalancer: target group, ALB and listeners, found by name and converged. */
public final class ProvisionLoadBalancerHandler extends JsonHandler<ProvisionLoadBalancerInput, ProvisionLoadBalancerOutput> {
    private final ProvisionLoadBalancerService service;

    public ProvisionLoadBalancerHandler() { this(System.getenv()); }

    public ProvisionLoadBalancerHandler(Map<String, String> env) {
        this(new AwsClients(new Env(env)));
    }

    private ProvisionLoadBalancerHandler(AwsClients clients) {
        this(new ProvisionLoadBalancerService(new LoadBalancerGateway(clients.get(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder)),
                new AlarmGateway(clients.get(CloudWatchClient.class, CloudWatchClient::builder))));
    }

    public ProvisionLoadBalancerHandler(ProvisionLoadBalancerService service) {
        super(ProvisionLoadBalancerInput.class);
        this.service = service;
    }

    @Override
    protected ProvisionLoadBalancerOutput handle(ProvisionLoadBalancerInput input, Context context) {
        return service.provision(input);
    }
}
