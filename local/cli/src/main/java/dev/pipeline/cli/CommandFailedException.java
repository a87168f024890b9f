package dev.pipeline.cli;

/** A command could not do its job for a reason the user can act on; the message is the one line shown (exit 1). */
public class CommandFailedException extends RuntimeException {
    public CommandFailedException(String message) { super(message); }

    public CommandFailedException(String message, Throwable cause) { super(message, cause); }
}
