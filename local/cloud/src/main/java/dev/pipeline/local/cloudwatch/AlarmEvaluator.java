package dev.pipeline.local.cloudwatch;

import dev.pipeline.local.LocalClients;
import dev.pipeline.local.clock.LocalClock;
import dev.pipeline.local.elb.LoadBalancers;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * CloudWatch alarms, evaluated: moto stores metric alarms but never evaluates them (they stay in the state they were
 * created or set in). This worker reads the alarms on the local load balancers' metrics ({@link ElbMetrics}: namespace
 * {@code AWS/ApplicationELB}, dimensions {@code LoadBalancer} and {@code TargetGroup}) from moto, evaluates each on the
 * local clock ({@link AlarmRule}; a 60 s period lasts {@code clock.local(60 s)}), and sets the new state in moto with
 * SetAlarmState when it changes, so DescribeAlarms, and an instance refresh watching the alarm, see it. Alarms on other
 * metrics are left alone. Every tick also samples the target groups' host counts.
 */
public final class AlarmEvaluator implements Interceptor {
    private static final Logger LOG = Logger.getLogger(AlarmEvaluator.class.getName());
    /** Samples and evaluations every 10 s of AWS time, but not more often than this on the wall clock. */
    private static final Duration MIN_TICK = Duration.ofMillis(50);
    private static final Duration REREAD = Duration.ofSeconds(1);
    private static final Set<String> METRICS = Set.of("RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_3XX_Count",
            "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "HTTPCode_ELB_502_Count",
            "HTTPCode_ELB_503_Count", "HTTPCode_ELB_504_Count", "HealthyHostCount", "UnHealthyHostCount");

    private final CloudWatchClient cloudWatch;
    private final LoadBalancers loadBalancers;
    private final LocalClock clock;
    private final Map<String, String> known = new ConcurrentHashMap<>();
    private volatile List<AlarmRule> rules = List.of();
    private volatile boolean dirty = true;
    private volatile boolean closed;
    private volatile Instant lastRead = Instant.EPOCH;
    private final Semaphore wake = new Semaphore(0);
    private final Thread loop;

    public AlarmEvaluator(URI motoEndpoint, LoadBalancers loadBalancers, LocalClock clock) {
        // moto's own endpoint, the operator's credentials: the local cloud's own reads are never subject to IAM
        this.cloudWatch = LocalClients.create(CloudWatchClient.class, motoEndpoint);
        this.loadBalancers = loadBalancers;
        this.clock = clock;
        this.loop = Thread.ofVirtual().name("alarm-evaluator").start(this::run);
    }

    /** A write to CloudWatch (PutMetricAlarm, DeleteAlarms, SetAlarmState) makes the next tick re-read the alarms. */
    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) {
        if ("monitoring".equals(request.service())) {
            String op = request.operation();
            if (op != null && !op.startsWith("Describe") && !op.startsWith("Get") && !op.startsWith("List")) {
                dirty = true;
                wake.release();
            }
        }
        return null;
    }

    private void run() {
        while (!closed) {
            Duration tick = clock.local(Duration.ofSeconds(10));
            if (tick.compareTo(MIN_TICK) < 0) tick = MIN_TICK;
            try {
                tick();
            } catch (RuntimeException e) {
                // moto restarting or reset under us: try again next tick
                LOG.log(Level.FINE, "alarm evaluation skipped a tick", e);
                dirty = true;
            }
            try {
                if (wake.tryAcquire(tick.toNanos(), TimeUnit.NANOSECONDS)) {
                    // a write landed: give moto a moment, then re-read
                    Thread.sleep(20);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                if (closed) return;
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One tick: sample host counts, re-read the alarms when due, evaluate each, set the ones whose state changed. */
    void tick() {
        Instant now = Instant.now();
        loadBalancers.sampleHostCounts(now);
        if (dirty || now.isAfter(lastRead.plus(REREAD))) {
            dirty = false;
            rules = readAlarms();
            lastRead = now;
        }
        ElbMetrics metrics = loadBalancers.metrics();
        for (AlarmRule rule : rules) {
            Duration period = clock.local(Duration.ofSeconds(rule.periodSeconds()));
            if (period.compareTo(MIN_TICK) < 0) period = MIN_TICK;
            Optional<AlarmRule.Decision> d = rule.evaluate(now, period, (from, to) -> metrics.values(rule.series(), from, to));
            if (d.isEmpty() || d.get().state().equals(known.get(rule.name()))) continue;
            try {
                cloudWatch.setAlarmState(b -> b.alarmName(rule.name()).stateValue(d.get().state())
                        .stateReason(d.get().reason()).stateReasonData(d.get().reasonData()));
                known.put(rule.name(), d.get().state());
                LOG.fine(() -> "alarm " + rule.name() + " -> " + d.get().state() + ": " + d.get().reason());
            } catch (ResourceNotFoundException e) {
                dirty = true; // deleted meanwhile
            }
        }
    }

    /** The alarms this worker can evaluate, with the state moto holds for each. */
    private List<AlarmRule> readAlarms() {
        List<AlarmRule> out = new java.util.ArrayList<>();
        Map<String, String> states = new HashMap<>();
        for (var page : cloudWatch.describeAlarmsPaginator(b -> b.alarmTypesWithStrings("MetricAlarm"))) {
            for (MetricAlarm a : page.metricAlarms()) {
                states.put(a.alarmName(), a.stateValueAsString());
                toRule(a).ifPresent(out::add);
            }
        }
        known.keySet().retainAll(states.keySet());
        known.putAll(states);
        return List.copyOf(out);
    }

    static Optional<AlarmRule> toRule(MetricAlarm a) {
        if (!ElbMetrics.NAMESPACE.equals(a.namespace()) || !METRICS.contains(a.metricName())) return Optional.empty();
        if (a.statistic() == null || a.period() == null || a.threshold() == null || a.comparisonOperator() == null) return Optional.empty();
        String lb = null;
        String tg = null;
        for (Dimension d : a.dimensions()) {
            switch (d.name()) {
                case "LoadBalancer" -> lb = d.value();
                case "TargetGroup" -> tg = d.value();
                default -> { return Optional.empty(); }
            }
        }
        if (lb == null || tg == null) return Optional.empty();
        int periods = a.evaluationPeriods() == null ? 1 : a.evaluationPeriods();
        return Optional.of(new AlarmRule(a.alarmName(), new ElbMetrics.Series(a.metricName(), lb, tg), a.statisticAsString(),
                a.period(), periods, a.datapointsToAlarm() == null ? periods : a.datapointsToAlarm(), a.threshold(),
                a.comparisonOperatorAsString(), a.treatMissingData()));
    }

    /** Forgets the alarms read and their states (moto's are gone after a reset). */
    @Override
    public void reset() {
        rules = List.of();
        known.clear();
        dirty = true;
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        reset();
        cloudWatch.close();
    }

    /** The state this worker last saw or set for an alarm (for tests). */
    Optional<String> knownState(String alarm) {
        return Optional.ofNullable(known.get(alarm));
    }
}
