package dev.pipeline.local;

/** moto_server is missing, the wrong version, or did not start; the message says what to install or fix. */
public class MotoNotAvailableException extends RuntimeException {
    public MotoNotAvailableException(String message) { super(message); }
}
