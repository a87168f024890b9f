package dev.pipeline.provision.alarms;

import java.util.Map;

/**
 * One CloudWatch metric alarm as the pipeline wants it, in PutMetricAlarm's terms. Compared field by field with what
 * DescribeAlarms returns, so a re-run only writes when something differs (on AWS an update leaves the alarm's state
 * alone, but it is still a write).
 */
public record AlarmDefinition(String name, String description, String namespace, String metricName, String statistic,
                              Map<String, String> dimensions, int periodSeconds, int evaluationPeriods,
                              int datapointsToAlarm, double threshold, String comparisonOperator, String treatMissingData) {

    public AlarmDefinition {
        dimensions = Map.copyOf(dimensions);
    }

    /** What differs from {@code actual}, in a user's words; empty when they match. */
    public String differences(AlarmDefinition actual) {
        StringBuilder sb = new StringBuilder();
        diff(sb, "metric", namespace + "/" + metricName, actual.namespace + "/" + actual.metricName);
        diff(sb, "statistic", statistic, actual.statistic);
        diff(sb, "dimensions", new java.util.TreeMap<>(dimensions).toString(), new java.util.TreeMap<>(actual.dimensions).toString());
        diff(sb, "period", periodSeconds + " s", actual.periodSeconds + " s");
        diff(sb, "evaluation periods", evaluationPeriods, actual.evaluationPeriods);
        diff(sb, "datapoints to alarm", datapointsToAlarm, actual.datapointsToAlarm);
        diff(sb, "threshold", threshold, actual.threshold);
        diff(sb, "comparison", comparisonOperator, actual.comparisonOperator);
        diff(sb, "missing data", treatMissingData, actual.treatMissingData);
        return sb.toString();
    }

    private static void diff(StringBuilder sb, String what, Object desired, Object actual) {
        if (java.util.Objects.equals(desired, actual)) return;
        if (!sb.isEmpty()) sb.append(", ");
        sb.append(what).append(' ').append(actual).append(" (spec: ").append(desired).append(')');
    }
}
