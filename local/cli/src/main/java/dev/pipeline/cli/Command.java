package dev.pipeline.cli;

import java.util.List;

/** One {@code ./pipeline} command: the words that name it, what it accepts, its help, and what it does. */
public interface Command {
    /** The command words, e.g. {@code "local start"}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** A paragraph for {@code --help}: what it does, what it prints, its exit codes. */
    String description();

    List<Option> options();

    /**
     * The words the command takes besides its options, in order, as usage shows them: {@code "WAR"} is required,
     * {@code "[RELEASE]"} optional. Most commands take none.
     */
    default List<String> arguments() { return List.of(); }

    /** Runs the command; returns the process exit code. */
    int run(Options options, CliContext context) throws Exception;
}
