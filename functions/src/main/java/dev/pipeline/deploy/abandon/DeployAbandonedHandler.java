package dev.pipeline.deploy.abandon;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.pipeline.deploy.bake.CleanupBakeHandler;
import dev.pipeline.deploy.release.RecordReleaseHandler;
import dev.pipeline.deploy.release.ReleaseLockHandler;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;

import java.util.Map;

/**
 * Lambda entry of DeployAbandoned, the target of the rule on the deploy state machine's ABORTED/TIMED_OUT/FAILED
 * events: the EventBridge event as {@code aws-lambda-java-events}' EventBridge type ({@link ScheduledEvent}, despite
 * its name: every EventBridge event has that envelope).
 */
public final class DeployAbandonedHandler extends JsonHandler<ScheduledEvent, DeployAbandonedOutput> {
    private final DeployAbandonedService service;

    public DeployAbandonedHandler() { this(System.getenv()); }

    public DeployAbandonedHandler(Map<String, String> env) {
        this(wire(new Env(env)));
    }

    public DeployAbandonedHandler(DeployAbandonedService service) {
        super(ScheduledEvent.class);
        this.service = service;
    }

    private static DeployAbandonedService wire(Env env) {
        return new DeployAbandonedService(CleanupBakeHandler.wire(env), RecordReleaseHandler.wire(env), ReleaseLockHandler.wire(env));
    }

    @Override
    protected DeployAbandonedOutput handle(ScheduledEvent event, Context context) {
        return service.handle(DeployAbandonedInput.of(event));
    }
}
