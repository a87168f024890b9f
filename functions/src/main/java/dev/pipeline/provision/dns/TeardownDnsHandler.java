package dev.pipeline.provision.dns;

import dev.pipeline.provision.StageInputs;
import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.route53.Route53Client;

import java.util.Map;

/** ASL state TeardownDns: deletes the environment's private zone and its records. Idempotent: NotFound is done. */
public final class TeardownDnsHandler extends JsonHandler<TeardownDnsInput, TeardownDnsOutput> {
    private final TeardownDnsService service;

    public TeardownDnsHandler() { this(System.getenv()); }

    public TeardownDnsHandler(Map<String, String> env) {
        this(service(new Env(env)));
    }

    public TeardownDnsHandler(TeardownDnsService service) {
        super(TeardownDnsInput.class);
        this.service = service;
    }

    private static TeardownDnsService service(Env env) {
        String region = env.require("AWS_REGION");
        return new TeardownDnsService(new DnsGateway(new AwsClients(env).get(Route53Client.class, Route53Client::builder)), region);
    }

    @Override
    protected TeardownDnsOutput handle(TeardownDnsInput input, Context context) {
        return service.teardown(StageInputs.spec(input.spec()), StageInputs.run(input.run()));
    }
}
