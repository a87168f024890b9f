package dev.pipeline.provision.alarms;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** CloudWatch alarms for the stages; the only class of them that imports CloudWatch SDK types. */
public class AlarmGateway {

    /** An alarm as DescribeAlarms shows it. */
    public record AlarmView(String arn, AlarmDefinition definition, String state, String stateReason,
                            java.time.Instant stateUpdated) {
    }

    private final CloudWatchClient cloudWatch;

    public AlarmGateway(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** The named metric alarms that exist, by name (DescribeAlarms takes up to 100 names). */
    public Map<String, AlarmView> find(List<String> names) {
        Map<String, AlarmView> out = new LinkedHashMap<>();
        cloudWatch.describeAlarms(b -> b.alarmNames(names).alarmTypes(AlarmType.METRIC_ALARM)).metricAlarms()
                .forEach(a -> out.put(a.alarmName(), view(a)));
        return out;
    }

    /**
     * Creates or replaces the alarm. Tags count only when it is created ("If you are using this operation to update
     * an existing alarm, any tags you specify in this parameter are ignored", PutMetricAlarm), and need
     * {@code cloudwatch:TagResource} besides {@code cloudwatch:PutMetricAlarm}.
     */
    public void put(AlarmDefinition d, Map<String, String> tags) {
        cloudWatch.putMetricAlarm(b -> b.alarmName(d.name()).alarmDescription(d.description()).namespace(d.namespace())
                .metricName(d.metricName()).statistic(d.statistic())
                .dimensions(d.dimensions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                .period(d.periodSeconds()).evaluationPeriods(d.evaluationPeriods()).datapointsToAlarm(d.datapointsToAlarm())
                .threshold(d.threshold()).comparisonOperator(d.comparisonOperator()).treatMissingData(d.treatMissingData())
                .actionsEnabled(false)
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
    }

    public Map<String, String> tags(String alarmArn) {
        try {
            return cloudWatch.listTagsForResource(b -> b.resourceARN(alarmArn)).tags().stream()
                    .collect(Collectors.toMap(Tag::key, Tag::value, (x, y) -> y, LinkedHashMap::new));
        } catch (ResourceNotFoundException e) {
            return Map.of();
        }
    }

    /** Deletes the named alarms; names that do not exist are ignored by CloudWatch. */
    public void delete(List<String> names) {
        if (!names.isEmpty()) cloudWatch.deleteAlarms(b -> b.alarmNames(names));
    }

    private static AlarmView view(MetricAlarm a) {
        Map<String, String> dims = new LinkedHashMap<>();
        a.dimensions().forEach(d -> dims.put(d.name(), d.value()));
        AlarmDefinition d = new AlarmDefinition(a.alarmName(), a.alarmDescription(), a.namespace(), a.metricName(),
                a.statisticAsString(), dims, a.period() == null ? 0 : a.period(),
                a.evaluationPeriods() == null ? 0 : a.evaluationPeriods(),
                // DatapointsToAlarm is optional and then equals EvaluationPeriods (CloudWatch "Evaluating an alarm")
                a.datapointsToAlarm() != null ? a.datapointsToAlarm() : a.evaluationPeriods() == null ? 0 : a.evaluationPeriods(),
                a.threshold() == null ? 0 : a.threshold(), a.comparisonOperatorAsString(),
                // "If you omit this parameter, the default behavior of missing is used" (PutMetricAlarm)
                a.treatMissingData() == null ? "missing" : a.treatMissingData());
        return new AlarmView(a.alarmArn(), d, a.stateValueAsString(), a.stateReason(), a.stateUpdatedTimestamp());
    }
}
