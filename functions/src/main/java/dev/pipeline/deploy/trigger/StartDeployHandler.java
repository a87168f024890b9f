package dev.pipeline.deploy.trigger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.time.Clock;
import java.util.Map;

/**
 * Lambda entry of StartDeploy, the target of the artifact bucket's Object Created rule: the EventBridge event, as
 * {@code aws-lambda-java-events}' EventBridge type ({@link ScheduledEvent}, despite its name: every EventBridge event
 * has that envelope; the library has no type for S3's detail). Env: DEPLOY_STATE_MACHINE_ARN,
 * POLL_SECONDS (default 15), RUN_TIMEOUT_SECONDS (default 3600).
 */
public final class StartDeployHandler extends JsonHandler<ScheduledEvent, StartDeployOutput> {
    private final StartDeployService service;

    public StartDeployHandler() { this(System.getenv()); }

    public StartDeployHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public StartDeployHandler(StartDeployService service) {
        super(ScheduledEvent.class);
        this.service = service;
    }

    private static StartDeployService wire(Env env) {
        var settings = new StartDeployService.Settings(env.require("DEPLOY_STATE_MACHINE_ARN"),
                Integer.parseInt(env.optional("POLL_SECONDS", "15")), Integer.parseInt(env.optional("RUN_TIMEOUT_SECONDS", "3600")));
        return new StartDeployService(new ExecutionGateway(new AwsClients(env).get(SfnClient.class, SfnClient::builder)),
                settings, Clock.systemUTC());
    }

    @Override
    protected StartDeployOutput handle(ScheduledEvent event, Context context) {
        return service.start(StartDeployInput.of(event));
    }
}
