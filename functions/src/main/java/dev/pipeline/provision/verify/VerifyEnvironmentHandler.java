package dev.pipeline.provision.verify;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.fleet.AutoScalingGateway;
import dev.pipeline.provision.loadbalancer.LoadBalancerGateway;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

import java.time.Duration;
import java.util.Map;

/** Lambda entry of VerifyEnvironment: read-only checks that the site is up; ready=false (and the workflow waits) until it is. */
public final class VerifyEnvironmentHandler extends JsonHandler<VerifyEnvironmentInput, VerifyEnvironmentOutput> {
    private final VerifyEnvironmentService service;

    public VerifyEnvironmentHandler() { this(System.getenv()); }

    public VerifyEnvironmentHandler(Map<String, String> env) {
        this(wire(new Env(env)));
    }

    public VerifyEnvironmentHandler(VerifyEnvironmentService service) {
        super(VerifyEnvironmentInput.class);
        this.service = service;
    }

    private static VerifyEnvironmentService wire(Env env) {
        AwsClients clients = new AwsClients(env);
        // Locally the ALB's DNS name resolves nowhere (moto emulates the API, not the traffic): no probe.
        SiteProbe probe = env.local() ? null : new HttpSiteProbe(Duration.ofSeconds(5));
        return new VerifyEnvironmentService(
                new LoadBalancerGateway(clients.get(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder)),
                new AutoScalingGateway(clients.get(AutoScalingClient.class, AutoScalingClient::builder)),
                probe);
    }

    @Override
    protected VerifyEnvironmentOutput handle(VerifyEnvironmentInput input, Context context) {
        return service.verify(input);
    }
}
