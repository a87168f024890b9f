package dev.pipeline.provision.network;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.StageInputs;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** TeardownSecurityGroups: deletes the environment's groups (found by tags); {@code ready} once all are gone. */
public final class TeardownSecurityGroupsHandler extends JsonHandler<TeardownSecurityGroupsInput, TeardownSecurityGroupsOutput> {
    private final TeardownSecurityGroupsService service;

    public TeardownSecurityGroupsHandler() { this(System.getenv()); }

    public TeardownSecurityGroupsHandler(Map<String, String> env) {
        this(new TeardownSecurityGroupsService(new SecurityGroupGateway(
                new AwsClients(new Env(env)).get(Ec2Client.class, Ec2Client::builder))));
    }

    public TeardownSecurityGroupsHandler(TeardownSecurityGroupsService service) {
        super(TeardownSecurityGroupsInput.class);
        this.service = service;
    }

    @Override
    protected TeardownSecurityGroupsOutput handle(TeardownSecurityGroupsInput input, Context context) {
        if (input.run() == null) throw new StageFailedException("run is missing from the workflow state");
        return service.teardown(StageInputs.spec(input.spec()), input.run());
    }
}
