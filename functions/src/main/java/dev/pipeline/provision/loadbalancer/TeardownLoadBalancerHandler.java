package dev.pipeline.provision.loadbalancer;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.alarms.AlarmGateway;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

import java.util.Map;

/** Lambda entry of TeardownLoadBalancer: listeners, ALB, then target group; NotFound is done, so it may run any number of times. */
public final class TeardownLoadBalancerHandler extends JsonHandler<TeardownLoadBalancerInput, TeardownLoadBalancerOutput> {
    private final TeardownLoadBalancerService service;

    public TeardownLoadBalancerHandler() { this(System.getenv()); }

    public TeardownLoadBalancerHandler(Map<String, String> env) {
        this(new AwsClients(new Env(env)));
    }

    private TeardownLoadBalancerHandler(AwsClients clients) {
        this(new TeardownLoadBalancerService(new LoadBalancerGateway(clients.get(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder)),
                new AlarmGateway(clients.get(CloudWatchClient.class, CloudWatchClient::builder))));
    }

    public TeardownLoadBalancerHandler(TeardownLoadBalancerService service) {
        super(TeardownLoadBalancerInput.class);
        this.service = service;
    }

    @Override
    protected TeardownLoadBalancerOutput handle(TeardownLoadBalancerInput input, Context context) {
        return service.teardown(input);
    }
}
