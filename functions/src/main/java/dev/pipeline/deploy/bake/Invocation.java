package dev.pipeline.deploy.bake;

import java.util.Set;

/**
 * One command's run on the builder, as GetCommandInvocation reports it.
 *
 * @param status       Pending, InProgress, Delayed, Success, Cancelled, TimedOut, Failed or Cancelling
 * @param responseCode the script's exit code (-1 while it runs)
 */
record Invocation(String status, String statusDetails, Integer responseCode, String stdout, String stderr) {
    private static final Set<String> RUNNING = Set.of("Pending", "InProgress", "Delayed");
    /** How much of the script's output a failure message carries. */
    static final int TAIL_CHARS = 1500;

    boolean running() { return RUNNING.contains(status); }

    boolean succeeded() { return "Success".equals(status); }

    /** The ends of stderr (where the script says why it stopped) and of stdout, labelled. */
    String outputTail() {
        String err = tail(stderr, TAIL_CHARS), out = tail(stdout, TAIL_CHARS / 2);
        if (err.isEmpty() && out.isEmpty()) return "(no output)";
        return (err.isEmpty() ? "" : "stderr: " + err) + (err.isEmpty() || out.isEmpty() ? "" : " | ")
                + (out.isEmpty() ? "" : "stdout: " + out);
    }

    private static String tail(String text, int max) {
        String t = text.strip();
        return t.length() <= max ? t : "..." + t.substring(t.length() - max);
    }
}
