package dev.pipeline.provision.instances;

import dev.pipeline.provision.StageInputs;
import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** TeardownInstances: terminates every instance tagged with the environment; {@code ready} once all are terminated. Safe to repeat. */
public final class TeardownInstancesHandler extends JsonHandler<TeardownInstancesInput, TeardownInstancesOutput> {
    private final TeardownInstancesService service;

    public TeardownInstancesHandler() { this(System.getenv()); }

    public TeardownInstancesHandler(Map<String, String> environment) { this(wire(new Env(environment))); }

    public TeardownInstancesHandler(TeardownInstancesService service) {
        super(TeardownInstancesInput.class);
        this.service = service;
    }

    private static TeardownInstancesService wire(Env env) {
        AwsClients aws = new AwsClients(env);
        return new TeardownInstancesService(new InstanceGateway(aws.get(Ec2Client.class, Ec2Client::builder)));
    }

    @Override
    protected TeardownInstancesOutput handle(TeardownInstancesInput in, Context context) {
        return service.teardown(StageInputs.spec(in.spec()), StageInputs.run(in.run()));
    }
}
