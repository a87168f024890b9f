package dev.pipeline.local.elb;

/**
 * The outcome of one health check request, in the terms of DescribeTargetHealth's reason codes:
 * a success; an answer with a code the matcher does not accept (Target.ResponseCodeMismatch); no answer in
 * HealthCheckTimeoutSeconds (Target.Timeout); or no connection or a malformed answer (Target.FailedHealthChecks).
 */
record CheckResult(Kind kind, int status) {
    enum Kind { SUCCESS, CODE_MISMATCH, TIMEOUT, CONNECTION_FAILED }

    static CheckResult success(int status) { return new CheckResult(Kind.SUCCESS, status); }
    static CheckResult mismatch(int status) { return new CheckResult(Kind.CODE_MISMATCH, status); }
    static CheckResult timeout() { return new CheckResult(Kind.TIMEOUT, 0); }
    static CheckResult failed() { return new CheckResult(Kind.CONNECTION_FAILED, 0); }

    boolean ok() { return kind == Kind.SUCCESS; }
}
