package dev.pipeline.local.gateway;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.ArrayList;
import java.util.List;

/**
 * One fault-injection rule: which calls it matches and what it does to them.
 *
 * @param service     signing name ("ec2", "elasticloadbalancing", "route53", "s3", "states", "lambda"...) or "*"
 * @param operation   operation name ("DescribeInstances") or "*"
 * @param kind        what to inject
 * @param probability chance that a matching call is faulted, 0..1 (1 when unset)
 * @param count       fault at most this many calls (unlimited when null)
 * @param skip        let this many matching calls through first (0 when null): "fails after the Nth call"
 * @param latencyMs   for LATENCY, the delay added before the call goes on
 * @param code        error code to answer with (kind's default when null), e.g. "AccessDenied"
 * @param status      HTTP status to answer with (kind's default when null)
 * @param message     error message (a default naming the rule when null)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record FaultRule(String service, String operation, Kind kind, Double probability, Integer count,
                        Integer skip, Integer latencyMs, String code, Integer status, String message) {

    public enum Kind {
        /** The service's throttling error (RequestLimitExceeded, Throttling, ThrottlingException, SlowDown...). */
        THROTTLE,
        /** HTTP 500 InternalError / ServiceUnavailable. */
        SERVER_ERROR,
        /** Delay, then the call proceeds. */
        LATENCY,
        /** The service's not-found error for the resource the call names: how eventual consistency looks. */
        NOT_FOUND,
        /** Any error: {@code code} and {@code status} say which (AccessDenied, LimitExceeded...). */
        ERROR
    }

    public FaultRule {
        if (service == null || service.isBlank()) service = "*";
        if (operation == null || operation.isBlank()) operation = "*";
        if (kind == null) throw new IllegalArgumentException("fault rule needs a kind: one of " + List.of(Kind.values()));
        if (probability != null && (probability < 0 || probability > 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1, got " + probability);
        }
        if (count != null && count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        if (skip != null && skip < 0) throw new IllegalArgumentException("skip must be >= 0, got " + skip);
        if (kind == Kind.LATENCY && (latencyMs == null || latencyMs < 0)) {
            throw new IllegalArgumentException("a LATENCY rule needs latencyMs >= 0");
        }
        if (kind == Kind.ERROR && (code == null || code.isBlank())) {
            throw new IllegalArgumentException("an ERROR rule needs a code, e.g. AccessDenied");
        }
    }

    public static FaultRule throttle(String service, String operation, double probability) {
        return new FaultRule(service, operation, Kind.THROTTLE, probability, null, null, null, null, null, null);
    }

    public static FaultRule serverError(String service, String operation, int count) {
        return new FaultRule(service, operation, Kind.SERVER_ERROR, null, count, null, null, null, null, null);
    }

    public static FaultRule latency(String service, String operation, int latencyMs) {
        return new FaultRule(service, operation, Kind.LATENCY, null, null, null, latencyMs, null, null, null);
    }

    public static FaultRule notFound(String service, String operation, int count) {
        return new FaultRule(service, operation, Kind.NOT_FOUND, null, count, null, null, null, null, null);
    }

    public static FaultRule error(String service, String operation, int status, String code, String message) {
        return new FaultRule(service, operation, Kind.ERROR, null, null, null, null, code, status, message);
    }

    /** A copy that faults only the first {@code n} matching calls. */
    public FaultRule times(int n) {
        return new FaultRule(service, operation, kind, probability, n, skip, latencyMs, code, status, message);
    }

    /** A copy that lets the first {@code n} matching calls through. */
    public FaultRule afterCalls(int n) {
        return new FaultRule(service, operation, kind, probability, count, n, latencyMs, code, status, message);
    }

    boolean matches(AwsRequest r) {
        return ("*".equals(service) || service.equals(r.service()))
                && ("*".equals(operation) || operation.equals(r.operation()));
    }

    static List<FaultRule> listOf(FaultRule... rules) { return new ArrayList<>(List.of(rules)); }
}
