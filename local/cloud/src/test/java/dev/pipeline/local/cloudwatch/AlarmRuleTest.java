package dev.pipeline.local.cloudwatch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class AlarmRuleTest {
    private static final Instant NOW = Instant.parse("2026-12-05T21:40:00Z");
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final ElbMetrics.Series S = new ElbMetrics.Series("HTTPCode_Target_5XX_Count", "app/web/1", "targetgroup/web/2");

    /** Values at seconds before NOW. */
    private static java.util.function.BiFunction<Instant, Instant, List<Double>> at(Map<Double, Double> secondsAgoToValue) {
        return (from, to) -> secondsAgoToValue.entrySet().stream()
                .filter(e -> {
                    Instant t = NOW.minusMillis((long) (e.getKey() * 1000));
                    return !t.isBefore(from) && t.isBefore(to);
                }).map(Map.Entry::getValue).toList();
    }

    private static AlarmRule fiveXx(int periods, int toAlarm, double threshold, String missing) {
        return new AlarmRule("web-5xx", S, "Sum", 60, periods, toAlarm, threshold, "GreaterThanOrEqualToThreshold", missing);
    }

    @Test
    void countsInThePeriodStillFilling_thatReachTheThreshold_putTheAlarmInAlarm_namingTheDatapoint() {
        var d = fiveXx(1, 1, 3, "notBreaching").evaluate(NOW, PERIOD, at(Map.of(0.1, 1.0, 0.2, 1.0, 0.3, 1.0))).orElseThrow();

        assertThat(d.state()).isEqualTo("ALARM");
        assertThat(d.reason()).startsWith("Threshold Crossed: 1 out of the last 1 datapoints [3.0 (05/12/26 21:39:59)]")
                .contains("greater than or equal to the threshold (3.0)");
        assertThat(d.reasonData()).contains("\"recentDatapoints\":[3.0]").contains("\"threshold\":3.0");
    }

    @Test
    void fewerThanTheThreshold_isOk() {
        var d = fiveXx(1, 1, 3, "notBreaching").evaluate(NOW, PERIOD, at(Map.of(0.1, 1.0, 0.2, 1.0))).orElseThrow();
        assertThat(d.state()).isEqualTo("OK");
    }

    @Test
    void noDataAtAll_followsTreatMissingData() {
        assertThat(fiveXx(1, 1, 3, "notBreaching").evaluate(NOW, PERIOD, at(Map.of())).orElseThrow().state()).isEqualTo("OK");
        assertThat(fiveXx(1, 1, 3, "breaching").evaluate(NOW, PERIOD, at(Map.of())).orElseThrow().state()).isEqualTo("ALARM");
        assertThat(fiveXx(1, 1, 3, "missing").evaluate(NOW, PERIOD, at(Map.of())).orElseThrow().state()).isEqualTo("INSUFFICIENT_DATA");
        assertThat(fiveXx(1, 1, 3, null).evaluate(NOW, PERIOD, at(Map.of())).orElseThrow().state()).isEqualTo("INSUFFICIENT_DATA");
        assertThat(fiveXx(1, 1, 3, "ignore").evaluate(NOW, PERIOD, at(Map.of()))).isEmpty();
    }

    @Test
    void mOutOfN_needsThatManyBreachingPeriods() {
        // two periods: the newest breaches (5 >= 3), the one before does not (1)
        Map<Double, Double> values = new TreeMap<>(Map.of(0.5, 5.0, 1.5, 1.0));
        assertThat(fiveXx(2, 2, 3, "notBreaching").evaluate(NOW, PERIOD, at(values)).orElseThrow().state()).isEqualTo("OK");
        assertThat(fiveXx(2, 1, 3, "notBreaching").evaluate(NOW, PERIOD, at(values)).orElseThrow().state()).isEqualTo("ALARM");
    }

    @Test
    void unhealthyHosts_takesTheMaximumSampleOfEachPeriod() {
        var rule = new AlarmRule("web-unhealthy", new ElbMetrics.Series("UnHealthyHostCount", "app/web/1", "targetgroup/web/2"),
                "Maximum", 60, 2, 2, 1, "GreaterThanOrEqualToThreshold", "notBreaching");
        // one unhealthy host sampled in each of the last two periods among zeros
        Map<Double, Double> values = Map.of(0.2, 0.0, 0.4, 1.0, 1.2, 0.0, 1.7, 1.0);
        assertThat(rule.evaluate(NOW, PERIOD, at(values)).orElseThrow().state()).isEqualTo("ALARM");
        // only in the newest: one of two is not enough
        assertThat(rule.evaluate(NOW, PERIOD, at(Map.of(0.4, 1.0, 1.2, 0.0))).orElseThrow().state()).isEqualTo("OK");
    }

    @Test
    void elbMetrics_keepsTargetAndLoadBalancerAnswersApart_byAwsDimensions() {
        ElbMetrics m = new ElbMetrics();
        String lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1";
        String tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/2";
        m.response(lb, tg, 500, true, NOW.minusMillis(10));
        m.response(lb, tg, 503, false, NOW.minusMillis(10));
        m.response(lb, tg, 200, true, NOW.minusMillis(10));

        Instant from = NOW.minusSeconds(1);
        assertThat(m.values(S, from, NOW)).containsExactly(1.0);
        assertThat(m.values(new ElbMetrics.Series("HTTPCode_ELB_503_Count", "app/web/1", "targetgroup/web/2"), from, NOW)).containsExactly(1.0);
        assertThat(m.values(new ElbMetrics.Series("RequestCount", "app/web/1", "targetgroup/web/2"), from, NOW)).hasSize(3);
    }
}
