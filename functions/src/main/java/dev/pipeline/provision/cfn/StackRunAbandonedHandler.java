package dev.pipeline.provision.cfn;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.Map;

/** Lambda entry of StackRunAbandoned, the target of the rule on the provision and teardown state machines' ABORTED/TIMED_OUT/FAILED events. */
public final class StackRunAbandonedHandler extends JsonHandler<StackRunAbandonedInput, StackRunAbandonedOutput> {
    private final StackRunAbandonedService service;

    public StackRunAbandonedHandler() { this(System.getenv()); }

    public StackRunAbandonedHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public StackRunAbandonedHandler(StackRunAbandonedService service) {
        super(StackRunAbandonedInput.class);
        this.service = service;
    }

    private static StackRunAbandonedService wire(Env env) {
        return new StackRunAbandonedService(new CloudFormationResponder(),
                new RunHistory(new AwsClients(env).get(SfnClient.class, SfnClient::builder)));
    }

    @Override
    protected StackRunAbandonedOutput handle(StackRunAbandonedInput input, Context context) {
        return service.handle(input);
    }
}
