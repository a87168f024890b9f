package dev.pipeline.cli;

/**
 * The command line is wrong (unknown command or option, missing or bad value): exit 2, with one line
 * saying what is wrong and then the usage of {@link #topic()}.
 */
public final class UsageException extends RuntimeException {
    private final String topic;

    /** @param topic the command or command group whose usage to show ("local start", "local"), "" for all */
    public UsageException(String message, String topic) {
        super(message);
        this.topic = topic;
    }

    public UsageException(String message, Command command) {
        this(message, command.name());
    }

    public String topic() { return topic; }
}
