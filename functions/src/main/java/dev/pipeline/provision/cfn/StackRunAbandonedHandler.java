package dev.pipeline.provision.cfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.Map;

/**
 * Lambda entry of StackRunAbandoned, the target of the rule on the provision and teardown state machines'
 * ABORTED/TIMED_OUT/FAILED events: the EventBridge event as {@code aws-lambda-java-events}' EventBridge type
 * ({@link ScheduledEvent}, despite its name: every EventBridge event has that envelope).
 */
public final class StackRunAbandonedHandler extends JsonHandler<ScheduledEvent, StackRunAbandonedOutput> {
    private final StackRunAbandonedService service;

    public StackRunAbandonedHandler() { this(System.getenv()); }

    public StackRunAbandonedHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public StackRunAbandonedHandler(StackRunAbandonedService service) {
        super(ScheduledEvent.class);
        this.service = service;
    }

    private static StackRunAbandonedService wire(Env env) {
        return new StackRunAbandonedService(new CloudFormationResponder(),
                new RunHistory(new AwsClients(env).get(SfnClient.class, SfnClient::builder)));
    }

    @Override
    protected StackRunAbandonedOutput handle(ScheduledEvent event, Context context) {
        return service.handle(StackRunAbandonedInput.of(event));
    }
}
