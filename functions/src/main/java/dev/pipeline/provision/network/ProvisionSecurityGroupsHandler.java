package dev.pipeline.provision.network;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.StageInputs;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** ProvisionSecurityGroups: {@code $.spec} in, the three group ids out; identity by tags, safe to repeat. */
public final class ProvisionSecurityGroupsHandler extends JsonHandler<ProvisionSecurityGroupsInput, ProvisionSecurityGroupsOutput> {
    private final ProvisionSecurityGroupsService service;

    public ProvisionSecurityGroupsHandler() { this(System.getenv()); }

    public ProvisionSecurityGroupsHandler(Map<String, String> env) {
        this(new ProvisionSecurityGroupsService(new SecurityGroupGateway(
                new AwsClients(new Env(env)).get(Ec2Client.class, Ec2Client::builder))));
    }

    public ProvisionSecurityGroupsHandler(ProvisionSecurityGroupsService service) {
        super(ProvisionSecurityGroupsInput.class);
        this.service = service;
    }

    @Override
    protected ProvisionSecurityGroupsOutput handle(ProvisionSecurityGroupsInput input, Context context) {
        return service.provision(StageInputs.spec(input.spec()));
    }
}
