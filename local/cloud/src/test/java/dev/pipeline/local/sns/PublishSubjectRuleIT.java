package dev.pipeline.local.sns;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SNS Publish refuses the subjects SNS refuses (moto accepts any): 100+ characters, line breaks, control characters. */
@ExtendWith(LocalCloudExtension.class)
class PublishSubjectRuleIT {

    @Test
    void publish_refusesASubjectOf100Characters_andAcceptsOneOf99(SnsClient sns) {
        String topic = sns.createTopic(b -> b.name("alerts")).topicArn();

        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).subject("x".repeat(100)).message("m")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Invalid parameter: Subject");
        assertThat(sns.publish(b -> b.topicArn(topic).subject("x".repeat(99)).message("m")).messageId()).isNotBlank();
    }

    @Test
    void publish_refusesLineBreaksInTheSubject_andCountsCharactersNotBytes(SnsClient sns) {
        String topic = sns.createTopic(b -> b.name("alerts")).topicArn();

        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topic).subject("deploy\nfailed").message("m")))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(sns.publish(b -> b.topicArn(topic).subject("é".repeat(99)).message("m")).messageId()).isNotBlank();
    }
}
