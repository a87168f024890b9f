package dev.pipeline.functions;

/**
 * Bad input, a conflict, a quota, or anything a retry will not fix: the state machine {@code Catch}es this
 * error name and routes to cleanup and notification. The message says what is wrong in a user's words.
 */
public final class StageFailedException extends RuntimeException {
    public StageFailedException(String message) { super(message); }

    public StageFailedException(String message, Throwable cause) { super(message, cause); }
}
