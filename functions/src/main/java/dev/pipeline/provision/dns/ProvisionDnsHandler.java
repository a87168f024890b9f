package dev.pipeline.provision.dns;

import dev.pipeline.provision.StageInputs;
import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.route53.Route53Client;

import java.util.Map;

/** ASL state ProvisionDns: the private zone and the backends' A records, at {@code $.dns}. Idempotent by zone tag. */
public final class ProvisionDnsHandler extends JsonHandler<ProvisionDnsInput, ProvisionDnsOutput> {
    private final ProvisionDnsService service;

    public ProvisionDnsHandler() { this(System.getenv()); }

    public ProvisionDnsHandler(Map<String, String> env) {
        this(service(new Env(env)));
    }

    public ProvisionDnsHandler(ProvisionDnsService service) {
        super(ProvisionDnsInput.class);
        this.service = service;
    }

    private static ProvisionDnsService service(Env env) {
        String region = env.require("AWS_REGION");
        return new ProvisionDnsService(new DnsGateway(new AwsClients(env).get(Route53Client.class, Route53Client::builder)), region);
    }

    @Override
    protected ProvisionDnsOutput handle(ProvisionDnsInput input, Context context) {
        return service.provision(StageInputs.spec(input.spec()), StageInputs.run(input.run()), input.backends());
    }
}
