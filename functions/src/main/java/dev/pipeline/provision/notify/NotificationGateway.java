package dev.pipeline.provision.notify;

import software.amazon.awssdk.services.sns.SnsClient;

/** SNS publish to the pipeline's topic. */
public final class NotificationGateway {
    private final SnsClient sns;
    private final String topicArn;

    public NotificationGateway(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    public String publish(String subject, String body) {
        return sns.publish(b -> b.topicArn(topicArn).subject(subject).message(body)).messageId();
    }
}
