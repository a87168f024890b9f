package dev.pipeline.provision.cfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.Map;

/** StackEvent: the Environment custom resource. Create/Update → provision workflow, Delete → teardown workflow. */
public final class StackEventHandler extends JsonHandler<CloudFormationCustomResourceEvent, StackEventOutput> {
    private final StackEventService service;

    public StackEventHandler() { this(System.getenv()); }

    public StackEventHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public StackEventHandler(StackEventService service) {
        super(CloudFormationCustomResourceEvent.class);
        this.service = service;
    }

    private static StackEventService wire(Env env) {
        return new StackEventService(new WorkflowStarter(new AwsClients(env).get(SfnClient.class, SfnClient::builder)),
                new CloudFormationResponder(), env.require("PROVISION_STATE_MACHINE_ARN"),
                env.require("TEARDOWN_STATE_MACHINE_ARN"), Integer.parseInt(env.optional("POLL_SECONDS", "30")),
                // a stopped provisioning's stage may run on for up to the functions' timeout (template Globals: 60 s)
                Integer.parseInt(env.optional("STAGE_TIMEOUT_SECONDS", "60")));
    }

    @Override
    protected StackEventOutput handle(CloudFormationCustomResourceEvent event, Context context) {
        return service.handle(StackEventInput.of(event));
    }
}
