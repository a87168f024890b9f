package dev.pipeline.deploy.bake;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The builder's install script, run for real under {@code sh} (dash here: stricter than the agent's bash-as-sh)
 * with the helper, curl and sleep replaced by stubs: odd keys reach the helper as one exact argument each, and
 * the health wait ends on the spec's success codes only.
 */
class BakeCommandTest {
    static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final HealthCheck LOGIN = new HealthCheck("/login", 30, 5, 2, 2, "200,302");
    /** Spaces, both quotes, $, backticks, command substitution, ';', a newline and non-ASCII. */
    static final String ODD_KEY = "releases/it's a \"quoted\" $HOME; `id` $(touch /tmp/pwned)\nünïcödé 日本.war";

    @TempDir
    Path dir;

    @Test
    void oddKey_reachesTheHelper_asExactlyOneArgument_andRunsNothing() throws Exception {
        List<String> lines = BakeCommand.lines("bucket", ODD_KEY, "v1.2_3", SHA, LOGIN, 8080, "r1");

        Run run = run(lines, "302");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(Files.readAllLines(dir.resolve("args"), StandardCharsets.UTF_8))
                .containsExactly("s3://bucket/" + ODD_KEY.replace("\n", "\\n"), "v1.2_3", SHA);
        assertThat(Path.of("/tmp/pwned")).doesNotExist();
        assertThat(run.output()).contains("Tomcat answers http://127.0.0.1:8080/login with 302");
        // the image records its release, for the install hook of older in-place revisions
        assertThat(Files.readString(dir.resolve("image-release")).trim()).isEqualTo("r1");
    }

    @Test
    void everyOutsideValue_isOneSingleQuotedAssignment() {
        List<String> lines = BakeCommand.lines("bucket", "releases/a'b.war", null, SHA, LOGIN, 8080, "r1");

        assertThat(lines).contains("source_uri='s3://bucket/releases/a'\\''b.war'", "version_id=''", "sha256='" + SHA + "'",
                "health_url='http://127.0.0.1:8080/login'");
        assertThat(String.join("\n", lines)).doesNotContainIgnoringCase("password").doesNotContain("get-parameter");
    }

    @Test
    void healthWait_failsWithTheLastStatus_whenTomcatNeverAnswersASuccessCode() throws Exception {
        Run run = run(BakeCommand.lines("bucket", "releases/app.war", "v1", SHA, LOGIN, 8080, "r1"), "500");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("did not answer http://127.0.0.1:8080/login with 200,302", "last status: 500");
        assertThat(dir.resolve("image-release")).doesNotExist();
    }

    @Test
    void healthWait_acceptsARangeOfCodes() throws Exception {
        HealthCheck range = new HealthCheck("/health", 30, 5, 2, 2, "200-299");

        assertThat(run(BakeCommand.lines("b", "k.war", "v", SHA, range, 8080, "r1"), "204").exit()).isZero();
        assertThat(run(BakeCommand.lines("b", "k.war", "v", SHA, range, 8080, "r1"), "302").exit()).isEqualTo(1);
    }

    @Test
    void anOlderHelper_thatWouldIgnoreTheSha256_isRefused_beforeAnythingIsInstalled() throws Exception {
        Run run = run(BakeCommand.lines("b", "k.war", "v", SHA, LOGIN, 8080, "r1"), "200", false);

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.output()).contains("cannot check a sha256");
        assertThat(dir.resolve("args")).doesNotExist();
    }

    @Test
    void badShaOrSuccessCodes_failTheStage_inAUsersWords() {
        assertThatThrownBy(() -> BakeCommand.lines("b", "k", "v", "ABC", LOGIN, 8080, "r1"))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("64 lowercase hex");
        HealthCheck bad = new HealthCheck("/", 30, 5, 2, 2, "200;reboot");
        assertThatThrownBy(() -> BakeCommand.lines("b", "k", "v", SHA, bad, 8080, "r1"))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("ELB matcher syntax");
    }

    private record Run(int exit, String output) {}

    private Run run(List<String> lines, String httpCode) throws Exception {
        return run(lines, httpCode, true);
    }

    /** Runs the script with sh; the helper records its arguments one per line (newlines escaped). */
    private Run run(List<String> lines, String httpCode, boolean helperChecksSha) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path helper = dir.resolve("pipeline-install-war");
        script(helper, "#!/bin/sh\n" + (helperChecksSha ? BakeCommand.HELPER_CAPABILITY + "\n" : "")
                + "for a in \"$@\"; do printf '%s' \"$a\" | awk 'BEGIN{ORS=\"\"} NR>1{print \"\\\\n\"} {print}'; echo; done > "
                + dir.resolve("args") + "\n");
        script(bin.resolve("curl"), "#!/bin/sh\nprintf '%s' " + httpCode + "\n");
        script(bin.resolve("sleep"), "#!/bin/sh\nexit 0\n");
        String text = String.join("\n", lines).replace("helper='" + BakeCommand.HELPER + "'", "helper='" + helper + "'")
                .replace("image_release_file='" + BakeCommand.IMAGE_RELEASE_FILE + "'", "image_release_file='" + dir.resolve("image-release") + "'");
        // from a UTF-8 file, not "sh -c": the JVM encodes command-line arguments in the platform charset, which is
        // ASCII under a bare environment (CI's env -i), and the non-ASCII key would arrive as '?'
        Path scriptFile = dir.resolve("install.sh");
        Files.writeString(scriptFile, text, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", scriptFile.toString()).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static void script(Path path, String text) throws IOException {
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
