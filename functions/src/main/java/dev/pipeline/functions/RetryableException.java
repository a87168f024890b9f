package dev.pipeline.functions;

/**
 * Not ready yet, eventually consistent, or throttled past the SDK's own retries: the state machine
 * {@code Retry}s this error name with backoff. Every stage throws exactly this class (never a subclass),
 * because ASL matches error names exactly.
 */
public final class RetryableException extends RuntimeException {
    public RetryableException(String message) { super(message); }

    public RetryableException(String message, Throwable cause) { super(message, cause); }
}
