package dev.pipeline.cli;

import java.io.PrintStream;

/** Where a command writes (so tests can read it) and the checkout it works in. */
public record CliContext(PrintStream out, PrintStream err, Workspace workspace) {
    public static CliContext system() {
        return new CliContext(System.out, System.err, Workspace.fromEnvironment());
    }
}
