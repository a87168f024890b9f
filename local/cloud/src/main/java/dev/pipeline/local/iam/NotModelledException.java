package dev.pipeline.local.iam;

/** A request the IAM evaluator has no data for (an operation, action, resource type or key): denied, never allowed. */
public final class NotModelledException extends RuntimeException {
    public NotModelledException(String what) {
        super(what);
    }
}
