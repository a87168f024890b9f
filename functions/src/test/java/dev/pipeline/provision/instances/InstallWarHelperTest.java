package dev.pipeline.provision.instances;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pipeline-install-war} as app.sh writes it, run with bash against stubs of the AWS CLI, IMDS (curl) and
 * systemd: with a sha256 it installs only a download of exactly those bytes, and refuses any other before Tomcat is
 * stopped.
 */
class InstallWarHelperTest {
    @TempDir
    Path dir;

    @Test
    void aDownloadWithAnotherSha256_isRefused_beforeTomcatIsTouched() throws Exception {
        byte[] war = war();

        Result r = install(war, "f".repeat(64));

        assertThat(r.exit()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).contains("has sha256 " + sha256(war), "expected " + "f".repeat(64), "nothing installed");
        assertThat(systemctlCalls()).isEmpty();
        assertThat(dir.resolve("webapps/ROOT/index.html")).doesNotExist();
    }

    @Test
    void theExpectedSha256_isInstalled_asRoot() throws Exception {
        byte[] war = war();

        Result r = install(war, sha256(war));

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(dir.resolve("webapps/ROOT/index.html")).hasContent("v1");
        assertThat(systemctlCalls()).contains("stop tomcat9", "start tomcat9");
        assertThat(r.output()).contains("(sha256 " + sha256(war) + ")");
    }

    @Test
    void aMalformedSha256_isRefused() throws Exception {
        Result r = install(war(), "$(reboot)");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(systemctlCalls()).isEmpty();
    }

    private record Result(int exit, String output) {}

    private Result install(byte[] war, String sha) throws Exception {
        Files.write(dir.resolve("download.war"), war);
        Files.createDirectories(dir.resolve("webapps"));
        Files.writeString(dir.resolve("app.env"), "TOMCAT_SERVICE=tomcat9\nTOMCAT_GROUP=" + group() + "\nWEBAPPS=" + dir.resolve("webapps") + "\n");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        stub(bin.resolve("curl"), "printf us-east-1");
        // aws s3api get-object ... <outfile>: the outfile is the last argument
        stub(bin.resolve("aws"), "for last in \"$@\"; do :; done; cp " + dir.resolve("download.war") + " \"$last\"");
        stub(bin.resolve("systemctl"), "echo \"$*\" >> " + dir.resolve("systemctl.log"));
        stub(bin.resolve("chown"), "exit 0");
        Path helper = dir.resolve("pipeline-install-war");
        Files.writeString(helper, helper().replace("/etc/pipeline/app.env", dir.resolve("app.env").toString()));
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", helper.toString(), "s3://bucket/releases/app.war", "v1", sha)
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private String systemctlCalls() throws IOException {
        Path log = dir.resolve("systemctl.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The helper's text between app.sh's {@code cat > /usr/local/sbin/pipeline-install-war <<'HELPER'} and {@code HELPER}. */
    private static String helper() throws IOException {
        try (InputStream in = InstallWarHelperTest.class.getResourceAsStream("/userdata/app.sh")) {
            String app = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String start = "cat > /usr/local/sbin/pipeline-install-war <<'HELPER'\n";
            int from = app.indexOf(start) + start.length();
            return app.substring(from, app.indexOf("\nHELPER\n", from) + 1);
        }
    }

    private static String group() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-gn").start();
        String g = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return g;
    }

    private static void stub(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static byte[] war() throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("index.html"));
            zip.write("v1".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
