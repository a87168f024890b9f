package dev.pipeline.local.cloudwatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The local load balancers' CloudWatch metrics, as Elastic Load Balancing publishes them in {@code AWS/ApplicationELB}
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html):
 * per target group and load balancer, {@code RequestCount} and {@code HTTPCode_Target_{2,3,4,5}XX_Count} for each
 * response a target gave, {@code HTTPCode_ELB_5XX_Count} (and {@code _502/_503/_504_Count}) for each the load balancer
 * generated itself, and samples of {@code HealthyHostCount} / {@code UnHealthyHostCount}. Dimensions are the ARNs'
 * final portions, as AWS's: {@code LoadBalancer} = {@code app/<name>/<id>}, {@code TargetGroup} =
 * {@code targetgroup/<name>/<id>}. Kept in memory with their wall-clock time (the local clock compresses periods,
 * not timestamps), for {@link AlarmEvaluator}; thread-safe.
 */
public final class ElbMetrics {
    public static final String NAMESPACE = "AWS/ApplicationELB";
    /** How many datapoints one series keeps: far more than any alarm's evaluation range needs at any time scale. */
    private static final int MAX_POINTS = 50_000;

    /** One series: a metric of one target group behind one load balancer. */
    public record Series(String metric, String loadBalancer, String targetGroup) {}

    record Point(Instant at, double value) {}

    private final Map<Series, ConcurrentLinkedDeque<Point>> series = new ConcurrentHashMap<>();

    /** A response's metrics: a target's status code (counted as the target's), or the load balancer's own. */
    public void response(String loadBalancerArn, String targetGroupArn, int status, boolean fromTarget, Instant at) {
        String lb = loadBalancerDimension(loadBalancerArn);
        String tg = targetGroupDimension(targetGroupArn);
        add(new Series("RequestCount", lb, tg), 1, at);
        int klass = status / 100;
        if (fromTarget) {
            if (klass >= 2 && klass <= 5) add(new Series("HTTPCode_Target_" + klass + "XX_Count", lb, tg), 1, at);
        } else if (klass == 5) {
            add(new Series("HTTPCode_ELB_5XX_Count", lb, tg), 1, at);
            if (status == 502 || status == 503 || status == 504) add(new Series("HTTPCode_ELB_" + status + "_Count", lb, tg), 1, at);
        }
    }

    /** One sample of the target group's healthy and unhealthy host counts. */
    public void hosts(String loadBalancerArn, String targetGroupArn, int healthy, int unhealthy, Instant at) {
        String lb = loadBalancerDimension(loadBalancerArn);
        String tg = targetGroupDimension(targetGroupArn);
        add(new Series("HealthyHostCount", lb, tg), healthy, at);
        add(new Series("UnHealthyHostCount", lb, tg), unhealthy, at);
    }

    /** The datapoints of a series in {@code [from, to)}. */
    public List<Double> values(Series s, Instant from, Instant to) {
        ConcurrentLinkedDeque<Point> points = series.get(s);
        if (points == null) return List.of();
        List<Double> out = new ArrayList<>();
        for (Iterator<Point> it = points.descendingIterator(); it.hasNext(); ) {
            Point p = it.next();
            if (p.at().isBefore(from)) break;
            if (p.at().isBefore(to)) out.add(p.value());
        }
        return out;
    }

    public void clear() {
        series.clear();
    }

    private void add(Series s, double value, Instant at) {
        ConcurrentLinkedDeque<Point> points = series.computeIfAbsent(s, k -> new ConcurrentLinkedDeque<>());
        points.addLast(new Point(at, value));
        while (points.size() > MAX_POINTS) points.pollFirst();
    }

    /** {@code arn:aws:elasticloadbalancing:r:a:loadbalancer/app/web/123} -> {@code app/web/123}. */
    public static String loadBalancerDimension(String arn) {
        int i = arn.indexOf(":loadbalancer/");
        return i < 0 ? arn : arn.substring(i + ":loadbalancer/".length());
    }

    /** {@code arn:aws:elasticloadbalancing:r:a:targetgroup/web/456} -> {@code targetgroup/web/456}. */
    public static String targetGroupDimension(String arn) {
        int i = arn.indexOf(":targetgroup/");
        return i < 0 ? arn : arn.substring(i + 1);
    }
}
