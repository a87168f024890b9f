package dev.pipeline.provision.codedeploy;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;

import java.util.Map;

/** Lambda entry of ProvisionDeploymentGroup: the environment's CodeDeploy application and deployment group, found by name, converged. */
public final class ProvisionDeploymentGroupHandler extends JsonHandler<ProvisionDeploymentGroupInput, ProvisionDeploymentGroupOutput> {
    /** The ARN of template.yaml's CodeDeployServiceRole. */
    public static final String SERVICE_ROLE_ARN = "CODEDEPLOY_SERVICE_ROLE_ARN";

    private final ProvisionDeploymentGroupService service;

    public ProvisionDeploymentGroupHandler() { this(System.getenv()); }

    public ProvisionDeploymentGroupHandler(Map<String, String> env) {
        this(wire(new Env(env)));
    }

    public ProvisionDeploymentGroupHandler(ProvisionDeploymentGroupService service) {
        super(ProvisionDeploymentGroupInput.class);
        this.service = service;
    }

    private static ProvisionDeploymentGroupService wire(Env env) {
        String role = env.require(SERVICE_ROLE_ARN);
        return new ProvisionDeploymentGroupService(new CodeDeployGateway(new AwsClients(env)
                .get(CodeDeployClient.class, CodeDeployClient::builder)), role);
    }

    @Override
    protected ProvisionDeploymentGroupOutput handle(ProvisionDeploymentGroupInput input, Context context) {
        return service.provision(input);
    }
}
