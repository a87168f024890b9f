package dev.pipeline.drift;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.Map;

/**
 * CheckDrift (the hourly schedule): compares the environment with its spec, saves the report, alerts on change;
 * with {@code DRIFT_AUTO_FIX=true} (template parameter DriftAutoFix) applies the safe fixes first.
 */
public final class CheckDriftHandler extends JsonHandler<CheckDriftInput, CheckDriftOutput> {
    private final CheckDriftService service;

    public CheckDriftHandler() { this(System.getenv()); }

    public CheckDriftHandler(Map<String, String> env) { this(wire(env)); }

    public CheckDriftHandler(CheckDriftService service) {
        super(CheckDriftInput.class);
        this.service = service;
    }

    private static CheckDriftService wire(Map<String, String> vars) {
        Env env = new Env(vars);
        String topic = env.require("NOTIFICATION_TOPIC_ARN");
        AwsClients aws = new AwsClients(env);
        return new CheckDriftService(DriftCheck.wire(vars), new AlertGateway(aws.get(SnsClient.class, SnsClient::builder),
                aws.get(CloudWatchClient.class, CloudWatchClient::builder), topic),
                Boolean.parseBoolean(vars.getOrDefault("DRIFT_AUTO_FIX", "false")));
    }

    @Override
    protected CheckDriftOutput handle(CheckDriftInput input, Context context) {
        return service.run(input);
    }
}
