package dev.pipeline.cli;

import dev.pipeline.local.MotoNotAvailableException;
import dev.pipeline.local.gateway.PortInUseException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/** {@code ./pipeline}'s entry point: parse, run one command, map failures to one line and an exit code. */
public final class Main {
    /** Exit codes: 0 done, 1 the command failed, 2 the command line is wrong. */
    public static final int OK = 0, FAILED = 1, USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        quietSlf4j();
        System.exit(run(args, CliContext.system()));
    }

    /**
     * The AWS SDK logs through SLF4J 1.7, and with no binding on the classpath SLF4J prints a three-line
     * notice to stderr on first use. Binding once with stderr muted gives what slf4j-nop would, without
     * another dependency.
     */
    private static void quietSlf4j() {
        PrintStream err = System.err;
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try {
            org.slf4j.LoggerFactory.getILoggerFactory();
        } finally {
            System.setErr(err);
        }
    }

    /** Runs one command line; never throws, never exits the JVM (tests call this in-process). */
    public static int run(String[] args, CliContext context) {
        Cli cli = Cli.standard();
        try {
            return switch (cli.parse(List.of(args))) {
                case Cli.Invocation.Help h -> {
                    (h.exitCode() == OK ? context.out() : context.err()).print(h.text());
                    yield h.exitCode();
                }
                case Cli.Invocation.Run r -> r.command().run(r.options(), context);
            };
        } catch (UsageException e) {
            context.err().println("pipeline: " + e.getMessage());
            context.err().println();
            context.err().print(cli.help(e.topic()));
            return USAGE;
        } catch (MotoNotAvailableException | PortInUseException | CommandFailedException e) {
            // problems the user fixes (install moto, free the port...): the message says how; a stack trace would bury it
            context.err().println("pipeline: " + e.getMessage());
            return FAILED;
        } catch (IOException | UncheckedIOException e) {
            context.err().println("pipeline: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.err().println("pipeline: interrupted");
            return 130;
        } catch (Exception e) {
            context.err().println("pipeline: unexpected error: " + e);
            e.printStackTrace(context.err());
            return FAILED;
        }
    }
}
