package dev.pipeline.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Workspace;
import dev.pipeline.cli.demo.SampleApp;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./pipeline deploy}, {@code status} and {@code rollback} against a running local cloud, in-process, as a user
 * runs them after {@code up}: what they print and return is what is asserted.
 */
class DeployCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCloud cloud;
    private static Path root;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start();
        root = SamTemplate.locate(Path.of("")).getParent();
    }

    @AfterAll
    static void stop() { cloud.close(); }

    /** Each test on an empty cloud, provisioned by {@code up} (no warm-up: the local cloud's instances are ready at once). */
    @BeforeEach
    void provision(@TempDir Path dir) throws Exception {
        cloud.reset();
        ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(root.resolve("examples/vprofile.json")));
        ((ObjectNode) spec.get("deployment")).put("instanceWarmupSeconds", 0);
        Path specFile = Files.writeString(dir.resolve("spec.json"), spec.toString());
        Outcome up = run("up", "--spec", specFile.toString());
        assertThat(up.code()).as(up.all()).isZero();
    }

    private record Outcome(int code, String out, String err) {
        JsonNode json() throws Exception { return JSON.readTree(out); }

        String all() { return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    private static Outcome run(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--port", Integer.toString(cloud.port())));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(full.toArray(String[]::new), new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Workspace(root)));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void deploy_status_rollback_showTheUserWhatIsLive(@TempDir Path dir) throws Exception {
        SampleApp app = new SampleApp(root);
        Path v1 = app.write(dir.resolve("sample-app-1.war"), "1", true);
        Path v2 = app.write(dir.resolve("sample-app-2.war"), "2", true);

        // when v1 then v2 are deployed
        Outcome first = run("deploy", v1.toString(), "--key", "releases/app.war");
        assertThat(first.code()).as(first.all()).isZero();
        assertThat(first.out()).contains("Uploaded sample-app-1.war", "s3://vprofile-artifacts-", "releases/app.war")
                .contains("ValidateArtifact", "AcquireLock", "BakeRelease", "RolloutRelease", "Release SUCCEEDED");
        Outcome second = run("deploy", v2.toString(), "--key", "releases/app.war", "--json");
        assertThat(second.code()).as(second.all()).isZero();
        JsonNode deployed = second.json();
        assertThat(deployed.path("status").asText()).isEqualTo("SUCCEEDED");
        String v2Version = deployed.path("upload").path("versionId").asText();
        String v2Ami = deployed.path("release").path("ami").asText();
        assertThat(v2Ami).startsWith("ami-");
        assertThat(deployed.path("release").path("versionId").asText()).isEqualTo(v2Version);

        // then status shows v2 live, every instance on its AMI, two successful releases
        JsonNode status = run("status", "--json").json();
        assertThat(status.path("live").path("versionId").asText()).isEqualTo(v2Version);
        assertThat(status.path("live").path("ami").asText()).isEqualTo(v2Ami);
        JsonNode byAmi = status.path("fleet").path("byAmi");
        assertThat(byAmi).hasSize(1);
        assertThat(byAmi.get(0).path("ami").asText()).isEqualTo(v2Ami);
        assertThat(byAmi.get(0).path("releaseId").asText()).isEqualTo(status.path("live").path("releaseId").asText());
        assertThat(byAmi.get(0).path("count").asInt()).isEqualTo(status.path("fleet").path("desired").asInt());
        assertThat(status.path("inFlight").isNull()).isTrue();
        assertThat(status.path("history").findValuesAsText("status")).containsExactly("SUCCEEDED", "SUCCEEDED");

        // when a rollback to the release before the live one runs
        Outcome rollback = run("rollback");
        assertThat(rollback.code()).as(rollback.all()).isZero();
        assertThat(rollback.out()).contains("ResolveRollback", "RolloutRelease", "Release SUCCEEDED").doesNotContain("BakeRelease");

        // then v1's AMI is live again, which the text status says
        Outcome text = run("status");
        assertThat(text.code()).isZero();
        String v1Ami = run("status", "--json").json().path("live").path("ami").asText();
        assertThat(v1Ami).startsWith("ami-").isNotEqualTo(v2Ami);
        assertThat(text.out()).containsPattern("Live release: +releases/app\\.war version \\S+ on " + v1Ami)
                .containsPattern(v1Ami + " +\\d+ x  releases/app\\.war version \\S+ \\[live]")
                .contains("Deploy in flight: none", "Queued uploads:   none")
                .containsPattern("(?s)History \\(newest first\\):\\s+SUCCEEDED.*\\n\\s+SUCCEEDED.*\\n\\s+SUCCEEDED");

        // and a drift check sees the deployed releases as the environment's own, not as drift
        Outcome drift = run("drift");
        assertThat(drift.code()).as(drift.all()).isZero();
        assertThat(drift.out()).contains("in sync");
    }

    @Test
    void deploy_ofSomethingThatIsNotAWar_isRejectedWithItsReason(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.war"), "this is not a zip");

        Outcome r = run("deploy", junk.toString());

        assertThat(r.code()).as(r.all()).isEqualTo(Main.FAILED);
        assertThat(r.out()).contains("Release REJECTED").containsIgnoringCase("not a zip").doesNotContain("BakeRelease");
    }

    @Test
    void rollback_toAnUnknownRelease_isRefused_namingIt() throws Exception {
        Outcome r = run("rollback", "20200101T000000000000Z#nothing-here");

        assertThat(r.code()).as(r.all()).isEqualTo(Main.FAILED);
        assertThat(r.out()).contains("Release FAILED").contains("20200101T000000000000Z#nothing-here");
    }
}
