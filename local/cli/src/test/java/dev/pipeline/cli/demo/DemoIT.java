package dev.pipeline.cli.demo;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo, run in-process as {@code ./pipeline demo} runs it: a real local cloud, real moto execution. */
class DemoIT {

    @Test
    void demo_runsTheLoopToSucceeded_andPrintsEachState(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Workspace(dir));

        int code = Main.run(new String[] {"demo", "--port", "0"}, ctx);

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        assertThat(printed).contains("Execution SUCCEEDED", "counted down from 3 to 0 in 3 laps");
        List<String[]> states = Arrays.stream(printed.split("\n"))
                .map(String::strip).map(l -> l.split("\\s+"))
                .filter(w -> w.length == 3 && List.of("Task", "Choice", "Wait").contains(w[1]))
                .toList();
        // three laps: CountDown, MoreToGo, Pause twice, then the last CountDown, MoreToGo and Summarize
        assertThat(states).extracting(w -> w[0] + " " + w[1]).containsExactly(
                "CountDown Task", "MoreToGo Choice", "Pause Wait",
                "CountDown Task", "MoreToGo Choice", "Pause Wait",
                "CountDown Task", "MoreToGo Choice", "Summarize Task");
        // the Wait really waited its SecondsPath (1 s), as the history's timestamps show
        states.stream().filter(w -> w[1].equals("Wait"))
                .forEach(w -> assertThat(Double.parseDouble(w[2])).isGreaterThanOrEqualTo(0.9));
    }

    @Test
    void demo_refusesRealAws_withOneLine(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Workspace(dir));

        int code = Main.run(new String[] {"demo", "--aws"}, ctx);

        assertThat(code).isEqualTo(Main.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "pipeline: the demo is not available against real AWS (--aws): it runs only on a throwaway local cloud\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
