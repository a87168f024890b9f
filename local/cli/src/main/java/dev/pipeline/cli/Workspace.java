package dev.pipeline.cli;

import java.nio.file.Path;

/**
 * The checkout the CLI works in: {@code $PIPELINE_HOME} (set by the {@code ./pipeline} script to the
 * repository root) or else the current directory. Run-time state lives in its {@code .pipeline/}.
 */
public record Workspace(Path root) {
    public Workspace {
        root = root.toAbsolutePath().normalize();
    }

    public static Workspace fromEnvironment() {
        String home = System.getenv("PIPELINE_HOME");
        return new Workspace(Path.of(home == null || home.isBlank() ? "." : home));
    }

    public Path stateDir() { return root.resolve(".pipeline"); }

    public Path pidFile(int port) { return stateDir().resolve("local-" + port + ".pid"); }

    public Path logFile(int port) { return stateDir().resolve("local-" + port + ".log"); }

    /** A path as the user should read it: relative to the checkout when inside it. */
    public String show(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }
}
