package dev.pipeline.local.gateway;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Applies fault rules to AWS calls before they reach moto or our handlers. Rules are checked in order;
 * every matching LATENCY rule adds its delay, the first matching error rule answers the call.
 */
public final class FaultInjector {

    private record Active(FaultRule rule, AtomicInteger seen, AtomicInteger faulted) {}

    private final CopyOnWriteArrayList<Active> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private volatile Random random = new Random();

    public void add(FaultRule rule) { rules.add(new Active(rule, new AtomicInteger(), new AtomicInteger())); }

    public List<FaultRule> rules() { return rules.stream().map(Active::rule).toList(); }

    public void clear() {
        rules.clear();
        injected.set(0);
    }

    /** How many calls were answered with an injected error since the last clear. */
    public int injectedErrors() { return injected.get(); }

    /** Makes probabilistic rules repeatable. */
    public void seed(long seed) { random = new Random(seed); }

    /** The fault answer for {@code request}, or null to let it through (after any injected latency). */
    public GatewayResponse apply(AwsRequest request) throws InterruptedException {
        for (Active a : rules) {
            FaultRule rule = a.rule();
            if (!rule.matches(request)) continue;
            int seen = a.seen().incrementAndGet();
            if (rule.skip() != null && seen <= rule.skip()) continue;
            if (rule.probability() != null && random.nextDouble() >= rule.probability()) continue;
            if (rule.count() != null && a.faulted().incrementAndGet() > rule.count()) continue;
            if (rule.count() == null) a.faulted().incrementAndGet();
            if (rule.kind() == FaultRule.Kind.LATENCY) {
                Thread.sleep(rule.latencyMs());
                continue;
            }
            injected.incrementAndGet();
            switch (rule.kind()) {
                case LATENCY -> throw new IllegalStateException("unreachable");
                case THROTTLE -> {
                    var t = AwsErrors.throttling(request);
                    return AwsErrors.error(request, status(rule, t.getKey()), code(rule, t.getValue()),
                            message(rule, "Rate exceeded"));
                }
                case SERVER_ERROR -> {
                    return AwsErrors.error(request, status(rule, 500),
                            code(rule, request.service().equals("s3") || request.service().equals("ec2") ? "InternalError" : "InternalFailure"),
                            message(rule, "We encountered an internal error. Please try again."));
                }
                case NOT_FOUND -> {
                    var nf = AwsErrors.notFound(request);
                    return AwsErrors.error(request, status(rule, nf.getKey()), code(rule, nf.getValue()),
                            message(rule, "The resource named in " + request.operation() + " does not exist (injected)"));
                }
                case ERROR -> {
                    return AwsErrors.error(request, status(rule, 400), rule.code(),
                            message(rule, rule.code() + " (injected into " + request.key() + ")"));
                }
            }
        }
        return null;
    }

    private static int status(FaultRule r, int dflt) { return r.status() == null ? dflt : r.status(); }

    private static String code(FaultRule r, String dflt) { return r.code() == null ? dflt : r.code(); }

    private static String message(FaultRule r, String dflt) { return r.message() == null ? dflt : r.message(); }
}
