package dev.pipeline.provision.notify;

/** Publishes a workflow's outcome to the notification topic. Not idempotent by design: a retried publish may repeat. */
public final class NotifyService {
    private final NotificationGateway gateway;
    private final String environment;

    public NotifyService(NotificationGateway gateway) { this(gateway, null); }

    /** {@code environment}: named in a message whose state has no spec yet (a deploy that failed early); may be null. */
    public NotifyService(NotificationGateway gateway, String environment) {
        this.gateway = gateway;
        this.environment = environment;
    }

    public NotifyOutput notify(NotifyInput input) {
        Notification n = Notification.of(input, environment);
        return new NotifyOutput(gateway.publish(n.subject(), n.body()), n.subject());
    }
}
