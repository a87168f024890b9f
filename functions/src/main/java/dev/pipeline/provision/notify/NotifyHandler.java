package dev.pipeline.provision.notify;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.Map;

/** Notify: the workflow's outcome to NOTIFICATION_TOPIC_ARN. */
public final class NotifyHandler extends JsonHandler<NotifyInput, NotifyOutput> {
    private final NotifyService service;

    public NotifyHandler() { this(System.getenv()); }

    public NotifyHandler(Map<String, String> env) {
        this(wire(new Env(env)));
    }

    public NotifyHandler(NotifyService service) {
        super(NotifyInput.class);
        this.service = service;
    }

    private static NotifyService wire(Env env) {
        String topic = env.require("NOTIFICATION_TOPIC_ARN");
        return new NotifyService(new NotificationGateway(new AwsClients(env).get(SnsClient.class, SnsClient::builder), topic),
                env.optional("ENVIRONMENT_NAME", null));
    }

    @Override
    protected NotifyOutput handle(NotifyInput input, Context context) {
        return service.notify(input);
    }
}
