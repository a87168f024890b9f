package dev.pipeline.drift;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where drift is announced: the notification topic, and the {@value #NAMESPACE} metrics alarms can watch. */
public final class AlertGateway {
    public static final String NAMESPACE = "Pipeline/Drift";

    private final SnsClient sns;
    private final CloudWatchClient cloudWatch;
    private final String topicArn;

    public AlertGateway(SnsClient sns, CloudWatchClient cloudWatch, String topicArn) {
        this.sns = sns;
        this.cloudWatch = cloudWatch;
        this.topicArn = topicArn;
    }

    public String publish(String subject, String message) {
        return sns.publish(b -> b.topicArn(topicArn).subject(subject).message(message)).messageId();
    }

    /** {@code Findings} per severity (zeros too, so an alarm sees the drift go away) and {@code NotChecked}. */
    public void metrics(String environment, Map<String, Integer> bySeverity, int notChecked) {
        List<MetricDatum> data = new ArrayList<>();
        bySeverity.forEach((severity, count) -> data.add(MetricDatum.builder().metricName("Findings").unit(StandardUnit.COUNT)
                .value((double) count).dimensions(dim("Environment", environment), dim("Severity", severity)).build()));
        data.add(MetricDatum.builder().metricName("NotChecked").unit(StandardUnit.COUNT).value((double) notChecked)
                .dimensions(dim("Environment", environment)).build());
        cloudWatch.putMetricData(b -> b.namespace(NAMESPACE).metricData(data));
    }

    private static Dimension dim(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
