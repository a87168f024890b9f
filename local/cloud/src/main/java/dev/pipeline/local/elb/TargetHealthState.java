package dev.pipeline.local.elb;

/**
 * The health of one registered target as an Application Load Balancer keeps it, fed with check results.
 * AWS's rules (ALB user guide, "Health checks for Application Load Balancer target groups"):
 * a newly registered target is {@code initial} and "must pass one health check to be considered healthy";
 * a target goes out of service after UnhealthyThresholdCount consecutive failures and back in after
 * HealthyThresholdCount consecutive successes. A new target that fails is declared unhealthy after
 * UnhealthyThresholdCount failures (the guide does not say; it is what the two rules give together).
 * The reason of an unhealthy target is the last failure's. Not thread-safe: the checker owns it.
 */
final class TargetHealthState {
    enum State { INITIAL, HEALTHY, UNHEALTHY }

    private State state = State.INITIAL;
    private boolean checked;
    private int successes;
    private int failures;
    private CheckResult last;

    State state() { return state; }

    /** Whether any check has completed (before that the reason is Elb.RegistrationInProgress). */
    boolean checked() { return checked; }

    CheckResult last() { return last; }

    void record(CheckResult r, int healthyThreshold, int unhealthyThreshold) {
        checked = true;
        last = r;
        if (r.ok()) {
            successes++;
            failures = 0;
            if (state == State.INITIAL || (state == State.UNHEALTHY && successes >= healthyThreshold)) state = State.HEALTHY;
        } else {
            failures++;
            successes = 0;
            if (state != State.UNHEALTHY && failures >= unhealthyThreshold) state = State.UNHEALTHY;
        }
    }

    /** DescribeTargetHealth's Reason; null when healthy. */
    String reason() {
        return switch (state) {
            case HEALTHY -> null;
            case INITIAL -> checked ? "Elb.InitialHealthChecking" : "Elb.RegistrationInProgress";
            case UNHEALTHY -> switch (last.kind()) {
                case CODE_MISMATCH -> "Target.ResponseCodeMismatch";
                case TIMEOUT -> "Target.Timeout";
                default -> "Target.FailedHealthChecks";
            };
        };
    }

    /** DescribeTargetHealth's Description; null when healthy. The texts are the console's as users report them, not confirmed in the API reference. */
    String description() {
        return switch (state) {
            case HEALTHY -> null;
            case INITIAL -> checked ? "Initial health checking in progress" : "Target registration is in progress";
            case UNHEALTHY -> switch (last.kind()) {
                case CODE_MISMATCH -> "Health checks failed with these codes: [" + last.status() + "]";
                case TIMEOUT -> "Request timed out";
                default -> "Health checks failed";
            };
        };
    }
}
