package dev.pipeline.deploy.inplace;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.codedeploy.AppSpec;
import dev.pipeline.spec.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The revision bundle of an in-place release: what the agent reads (appspec.yml) and runs (the hook scripts). */
class InPlaceRevisionTest {
    private static final String SHA = "a".repeat(64);
    private static final HealthCheck HEALTH = new HealthCheck("/login", 15, 5, 3, 2, "200-299");

    @Test
    void appspec_runsEachHookFromTheBundle_inTheAgentsOrder_andCopiesTheWarToStaging() throws Exception {
        Map<String, String> files = InPlaceRevision.files(SHA, HEALTH, 8080, "r1");
        AppSpec spec = AppSpec.parse(files.get("appspec.yml"));

        assertThat(spec.files()).singleElement().satisfies(f -> {
            assertThat(f.source()).isEqualTo("ROOT.war");
            assertThat(f.destination()).isEqualTo(InPlaceRevision.STAGING);
        });
        for (String event : List.of("ApplicationStop", "AfterInstall", "ApplicationStart", "ValidateService")) {
            assertThat(spec.scripts(event)).as(event).singleElement().satisfies(s -> {
                assertThat(files).containsKey(s.location());
                assertThat(files.get(s.location())).startsWith("#!/bin/bash\nset -euo pipefail\nexport LC_ALL=C\n");
                assertThat(s.runas()).isEqualTo("root");
                assertThat(s.timeout()).isBetween(1, AppSpec.DEFAULT_TIMEOUT);
            });
        }
        // ValidateService waits long enough for its own polls
        assertThat(spec.scripts("ValidateService").getFirst().timeout())
                .isGreaterThan(InPlaceRevision.HEALTH_ATTEMPTS * InPlaceRevision.HEALTH_PAUSE_SECONDS);
    }

    @Test
    void install_checksTheWarsSha256BeforeInstalling_andValidate_pollsTheHealthPathWithTheSuccessCodes() {
        Map<String, String> files = InPlaceRevision.files(SHA, HEALTH, 8080, "r1");
        String install = files.get("scripts/install.sh");
        assertThat(install).contains("expected='" + SHA + "'")
                .contains("sha256sum \"$war\"")
                .contains("\"$helper\" \"file://$war\" \"\" \"$expected\"");
        assertThat(install.indexOf("sha256sum")).isLessThan(install.indexOf("\"$helper\" \"file://"));
        String validate = files.get("scripts/validate.sh");
        assertThat(validate).contains("health_url='http://127.0.0.1:8080/login'")
                .contains("[ \"$code\" -ge 200 ] && [ \"$code\" -le 299 ]");
    }

    @TempDir
    Path dir;

    /** Runs install.sh with its paths moved under {@link #dir}; the helper records its arguments. */
    private int install(String release, byte[] war, String sha256, String imageRelease) throws Exception {
        Path helper = dir.resolve("pipeline-install-war");
        Files.writeString(helper, "#!/bin/sh\n" + InPlaceRevision.HELPER_CAPABILITY + "\nprintf '%s\\n' \"$@\" > " + dir.resolve("args") + "\n");
        helper.toFile().setExecutable(true);
        Files.write(dir.resolve("ROOT.war"), war);
        Path marker = dir.resolve("image-release");
        if (imageRelease != null) Files.writeString(marker, imageRelease + "\n");
        String text = InPlaceRevision.files(sha256, HEALTH, 8080, release).get("scripts/install.sh")
                .replace("war='" + InPlaceRevision.STAGING + "/ROOT.war'", "war='" + dir.resolve("ROOT.war") + "'")
                .replace("helper='" + InPlaceRevision.HELPER + "'", "helper='" + helper + "'")
                .replace("image_release_file='" + dev.pipeline.deploy.bake.BakeCommand.IMAGE_RELEASE_FILE + "'", "image_release_file='" + marker + "'");
        Path script = dir.resolve("install.sh");
        Files.writeString(script, text);
        Process p = new ProcessBuilder("/bin/bash", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor();
    }

    private String output;

    @Test
    void install_installsAWarWhoseSha256Matches_refusesOneThatDoesNot_andLeavesANewerImagesWarAlone() throws Exception {
        byte[] war = "a war".getBytes(StandardCharsets.UTF_8);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(war));
        String release = "20261206T080000.000000Z#up-2";

        assertThat(install(release, war, sha, "20261206T070000.000000Z#up-1")).as(output).isZero();
        assertThat(Files.readAllLines(dir.resolve("args"))).containsExactly("file://" + dir.resolve("ROOT.war"), "", sha);
        Files.delete(dir.resolve("args"));

        assertThat(install(release, "another war".getBytes(StandardCharsets.UTF_8), sha, null)).isEqualTo(3);
        assertThat(output).contains("has sha256").contains("expected " + sha).contains("nothing installed");
        assertThat(dir.resolve("args")).doesNotExist();

        // an instance launched from the image of this release, or of a later one, keeps the image's WAR
        assertThat(install(release, war, sha, release)).isZero();
        assertThat(install(release, war, sha, "20261206T090000.000000Z#up-3")).isZero();
        assertThat(output).contains("its WAR stays");
        assertThat(dir.resolve("args")).doesNotExist();
    }

    @Test
    void aHealthPathWithShellCharacters_isOneQuotedWord() {
        HealthCheck odd = new HealthCheck("/x'$(id)`", 15, 5, 3, 2, "200");
        String validate = InPlaceRevision.files(SHA, odd, 8080, "r1").get("scripts/validate.sh");
        assertThat(validate).contains("health_url='http://127.0.0.1:8080/x'\\''$(id)`'");
    }

    @Test
    void aMalformedSha256_isRefused() {
        assertThatThrownBy(() -> InPlaceRevision.files("ABC", HEALTH, 8080, "r1"))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("64 lowercase hex digits");
    }

    @Test
    void bundle_holdsTheFilesAndTheWarByteForByte() throws Exception {
        byte[] war = new byte[100_000];
        new java.util.Random(7).nextBytes(war);
        Map<String, String> files = InPlaceRevision.files(SHA, HEALTH, 8080, "r1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InPlaceRevision.write(out, files, new ByteArrayInputStream(war));

        Map<String, byte[]> read = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) read.put(e.getName(), zip.readAllBytes());
        }
        assertThat(read.keySet()).containsExactly("appspec.yml", "scripts/stop.sh", "scripts/install.sh",
                "scripts/start.sh", "scripts/validate.sh", "ROOT.war");
        assertThat(read.get("ROOT.war")).isEqualTo(war);
        assertThat(new String(read.get("appspec.yml"), StandardCharsets.UTF_8)).isEqualTo(files.get("appspec.yml"));
    }

    @Test
    void revisionKey_keepsToSafeCharacters_andIsOnePerRelease() {
        String a = DeployInPlaceService.revisionKey("20261206T073000.123456Z#releases-app.war-abc");
        assertThat(a).isEqualTo("revisions/20261206T073000.123456Z_releases-app.war-abc.zip");
        assertThat(DeployInPlaceService.revisionKey("other#x")).isNotEqualTo(a);
    }

    @Test
    void tail_keepsTheLastLinesOfTheScriptsOutput() {
        assertThat(DeployInPlaceService.tail("a\nb\nc\nd\ne\nf\ng\n")).isEqualTo("c | d | e | f | g");
    }
}
