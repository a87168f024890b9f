package dev.pipeline.provision.fleet;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** Lambda entry of ProvisionLaunchTemplate: the app servers' launch template, found by name, a new version only when its data changes. */
public final class ProvisionLaunchTemplateHandler extends JsonHandler<ProvisionLaunchTemplateInput, ProvisionLaunchTemplateOutput> {
    private final ProvisionLaunchTemplateService service;

    public ProvisionLaunchTemplateHandler() { this(System.getenv()); }

    public ProvisionLaunchTemplateHandler(Map<String, String> env) {
        this(wire(new Env(env)));
    }

    public ProvisionLaunchTemplateHandler(ProvisionLaunchTemplateService service) {
        super(ProvisionLaunchTemplateInput.class);
        this.service = service;
    }

    private static ProvisionLaunchTemplateService wire(Env env) {
        String profile = env.require("APP_INSTANCE_PROFILE");
        return new ProvisionLaunchTemplateService(
                new LaunchTemplateGateway(new AwsClients(env).get(Ec2Client.class, Ec2Client::builder)), profile);
    }

    @Override
    protected ProvisionLaunchTemplateOutput handle(ProvisionLaunchTemplateInput input, Context context) {
        return service.provision(input);
    }
}
