package dev.pipeline.drift;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.Map;

/**
 * CheckDrift (the hourly schedule): compares the function's environment ({@code ENVIRONMENT_NAME}) with its spec,
 * saves the report, alerts on change; with {@code DRIFT_AUTO_FIX=true} (template parameter DriftAutoFix) applies the
 * safe fixes first. Its input is the EventBridge Scheduled Event the schedule sends (the rule has no {@code Input}),
 * as {@code aws-lambda-java-events}' {@link ScheduledEvent}; nothing in it changes what is checked, so a hand
 * invocation may send {@code {}}.
 */
public final class CheckDriftHandler extends JsonHandler<ScheduledEvent, CheckDriftOutput> {
    private final CheckDriftService service;
    private final String environment;

    public CheckDriftHandler() { this(System.getenv()); }

    public CheckDriftHandler(Map<String, String> env) { this(wire(env), new Env(env).require("ENVIRONMENT_NAME")); }

    public CheckDriftHandler(CheckDriftService service, String environment) {
        super(ScheduledEvent.class);
        this.service = service;
        this.environment = environment;
    }

    static CheckDriftService wire(Map<String, String> vars) {
        Env env = new Env(vars);
        String topic = env.require("NOTIFICATION_TOPIC_ARN");
        AwsClients aws = new AwsClients(env);
        return new CheckDriftService(DriftCheck.wire(vars), new AlertGateway(aws.get(SnsClient.class, SnsClient::builder),
                aws.get(CloudWatchClient.class, CloudWatchClient::builder), topic),
                Boolean.parseBoolean(vars.getOrDefault("DRIFT_AUTO_FIX", "false")));
    }

    @Override
    protected CheckDriftOutput handle(ScheduledEvent event, Context context) {
        return service.run(new CheckDriftInput(environment, null));
    }
}
