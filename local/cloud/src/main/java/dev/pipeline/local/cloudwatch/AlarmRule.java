package dev.pipeline.local.cloudwatch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One metric alarm on an {@link ElbMetrics} series, evaluated as CloudWatch documents it ("Evaluating an alarm",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html): the last
 * {@code evaluationPeriods} periods each give one datapoint (the statistic of that period's values); the alarm is in
 * ALARM when at least {@code datapointsToAlarm} of them breach the threshold, and a period without data is treated
 * as {@code treatMissingData} says (missing, notBreaching, breaching, ignore). Pure.
 *
 * <p>Differences from AWS, for speed on the local clock: periods end now rather than on period boundaries, so the
 * newest one is the one still filling (a count that already breaches counts at once); and there is no evaluation
 * delay for late data.
 */
public record AlarmRule(String name, ElbMetrics.Series series, String statistic, int periodSeconds, int evaluationPeriods,
                        int datapointsToAlarm, double threshold, String comparisonOperator, String treatMissingData) {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** A state to set, with CloudWatch-style StateReason and StateReasonData. */
    public record Decision(String state, String reason, String reasonData) {}

    /**
     * The state the alarm should be in now, or empty when it should stay as it is ({@code ignore} with no data).
     *
     * @param periodWall how long one period lasts on the wall clock (the local clock's {@code local(period)})
     * @param values     the series' values in {@code [from, to)}
     */
    public Optional<Decision> evaluate(Instant now, Duration periodWall, BiFunction<Instant, Instant, List<Double>> values) {
        int n = Math.max(1, evaluationPeriods);
        int m = datapointsToAlarm <= 0 ? n : Math.min(datapointsToAlarm, n);
        List<Double> points = new ArrayList<>();
        List<Instant> starts = new ArrayList<>();
        int breaching = 0;
        int counted = 0;
        for (int i = 0; i < n; i++) {
            Instant to = now.minus(periodWall.multipliedBy(i));
            Instant from = to.minus(periodWall);
            Double v = statistic(values.apply(from, to));
            points.add(v);
            starts.add(from);
            if (v != null) {
                counted++;
                if (breaches(v)) breaching++;
            } else {
                switch (treatMissingData == null ? "missing" : treatMissingData) {
                    case "notBreaching" -> counted++;
                    case "breaching" -> { counted++; breaching++; }
                    default -> { }
                }
            }
        }
        String data = reasonData(now, points, starts);
        if (breaching >= m) {
            return Optional.of(new Decision("ALARM", "Threshold Crossed: " + breaching + " out of the last " + n + " datapoints "
                    + describe(points, starts) + " " + (breaching == 1 ? "was " : "were ") + words() + " the threshold ("
                    + threshold + ") (minimum " + m + " datapoint" + (m == 1 ? "" : "s") + " for OK -> ALARM transition).", data));
        }
        if (counted == 0) {
            if ("ignore".equals(treatMissingData)) return Optional.empty();
            return Optional.of(new Decision("INSUFFICIENT_DATA", "Insufficient Data: " + n + " datapoint"
                    + (n == 1 ? " was" : "s were") + " unknown.", data));
        }
        return Optional.of(new Decision("OK", "Threshold Crossed: " + (n - breaching) + " out of the last " + n + " datapoints "
                + describe(points, starts) + " " + (n - breaching == 1 ? "was" : "were") + " not " + words() + " the threshold ("
                + threshold + ") (minimum " + m + " datapoint" + (m == 1 ? "" : "s") + " for OK -> ALARM transition).", data));
    }

    boolean breaches(double v) {
        return switch (comparisonOperator) {
            case "GreaterThanOrEqualToThreshold" -> v >= threshold;
            case "GreaterThanThreshold" -> v > threshold;
            case "LessThanThreshold" -> v < threshold;
            case "LessThanOrEqualToThreshold" -> v <= threshold;
            default -> throw new IllegalArgumentException("comparison operator not modelled: " + comparisonOperator);
        };
    }

    /** The period's datapoint, or null when it has no values (missing data). */
    Double statistic(List<Double> values) {
        if (values.isEmpty()) return null;
        return switch (statistic) {
            case "Sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
            case "Maximum" -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            case "Minimum" -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            case "Average" -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            case "SampleCount" -> (double) values.size();
            default -> throw new IllegalArgumentException("statistic not modelled: " + statistic);
        };
    }

    private String words() {
        return switch (comparisonOperator) {
            case "GreaterThanOrEqualToThreshold" -> "greater than or equal to";
            case "GreaterThanThreshold" -> "greater than";
            case "LessThanThreshold" -> "less than";
            case "LessThanOrEqualToThreshold" -> "less than or equal to";
            default -> comparisonOperator;
        };
    }

    private static String describe(List<Double> points, List<Instant> starts) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i) != null) out.add(points.get(i) + " (" + STAMP.format(starts.get(i)) + ")");
        }
        return out.toString();
    }

    private String reasonData(Instant now, List<Double> points, List<Instant> starts) {
        StringBuilder sb = new StringBuilder("{\"version\":\"1.0\",\"queryDate\":\"").append(now).append("\",\"statistic\":\"")
                .append(statistic).append("\",\"period\":").append(periodSeconds).append(",\"recentDatapoints\":[");
        boolean first = true;
        for (Double p : points) {
            if (p == null) continue;
            if (!first) sb.append(',');
            sb.append(p);
            first = false;
        }
        return sb.append("],\"threshold\":").append(threshold).append('}').toString();
    }
}
