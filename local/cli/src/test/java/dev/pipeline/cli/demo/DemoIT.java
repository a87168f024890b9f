package dev.pipeline.cli.demo;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Workspace;
import dev.pipeline.local.deploy.SamTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo, run in-process as {@code ./pipeline demo} runs it: a real local cloud and real executions. */
class DemoIT {

    @Test
    void demo_provisions_deploysV1V2_failsABrokenV3AtTheBake_showsTheHistory_andLeavesNothingBehind() {
        Path root = SamTemplate.locate(Path.of("")).getParent();
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Workspace(root));

        int code = Main.run(new String[] {"demo", "--port", "0"}, ctx);

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; output:%n%s%nstderr: %s", printed, err).isZero();
        assertThat(printed).contains("Provisioning SUCCEEDED", "Teardown SUCCEEDED",
                "Nothing tagged pipeline:environment=vprofile is left");
        assertThat(printed).containsPattern("Site URL: +http://vprofile-alb-")
                .containsPattern("Golden AMI: +ami-");
        // the release story, in order: the site serves v1, then v2, which went live in place (CodeDeploy) before its
        // image was baked; v3's health page answers 500 on the builder, so the bake fails it and the site still serves v2
        assertThat(printed).containsSubsequence("== Deploying sample-app 1", "BakeRelease", "RolloutRelease", "Release SUCCEEDED",
                "The site serves: HTTP 200, sample-app version 1",
                "== Deploying sample-app 2 in place", "DeployInPlace", "BakeRelease", "Release SUCCEEDED",
                "live in place after", "(CodeDeploy deployment d-", "The site serves: HTTP 200, sample-app version 2",
                "== Deploying a broken sample-app 3", "BakeRelease", "Release FAILED", "last status: 500",
                "The site serves: HTTP 200, sample-app version 2",
                "== Status after the broken release", "Live release:", "(in place on ami-", "[live]", "History (newest first):",
                "v3 failed its bake: every instance still runs v2 (put there in place by CodeDeploy", "== Tearing down");
        assertThat(printed).containsPattern("(?s)History \\(newest first\\):\\s+FAILED .*\\n\\s+SUCCEEDED .*\\n\\s+SUCCEEDED ");
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
