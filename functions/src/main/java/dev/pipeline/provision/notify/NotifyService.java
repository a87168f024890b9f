package dev.pipeline.provision.notify;

/** Publishes a workflow's outcome to the notification topic. Not idempotent by design: a retried publish may repeat. */
public final class NotifyService {
    private final NotificationGateway gateway;

    public NotifyService(NotificationGateway gateway) { this.gateway = gateway; }

    public NotifyOutput notify(NotifyInput input) {
        Notification n = Notification.of(input);
        return new NotifyOutput(gateway.publish(n.subject(), n.body()), n.subject());
    }
}
