package dev.pipeline.cli.local;


import dev.pipeline.local.LocalCloud;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code local start / status / stop} as users run them: {@code java -jar pipeline.jar ...} in a separate
 * process, on a free port, with the checkout's state in a temporary directory.
 */
class LocalCommandsIT {
    /** What one CLI run printed and how it exited. */
    record Result(int code, String out, String err) {}

    @TempDir Path home;
    private final List<Integer> startedPorts = new ArrayList<>();

    @Test
    void startStatusStop_roundTrip_onAFreePort() throws Exception {
        int port = freePort();

        Result start = cli(Map.of(), "local", "start", "--port", Integer.toString(port));
        startedPorts.add(port);

        String endpoint = "http://127.0.0.1:" + port;
        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(start.out()).contains("Local cloud running at " + endpoint, "export AWS_ENDPOINT_URL=" + endpoint,
                "aws --endpoint-url " + endpoint);
        long pid = Long.parseLong(Files.readString(home.resolve(".pipeline/local-" + port + ".pid")).strip());
        assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);
        try (Ec2Client ec2 = ec2(endpoint)) {
            assertThat(ec2.describeVpcs().vpcs()).as("moto's default VPC, through the started gateway").isNotEmpty();
        }

        Result status = cli(Map.of(), "local", "status", "--port", Integer.toString(port));

        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).contains("Local cloud: running", "endpoint:  " + endpoint, "moto:      5.2.1 on port",
                "uptime:", "pid:       " + pid);

        Result stop = cli(Map.of(), "local", "stop", "--port", Integer.toString(port));

        assertThat(stop.code()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("Stopped the local cloud at " + endpoint + " (pid " + pid + ")");
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the server process is gone").isEmpty();
        assertThat(home.resolve(".pipeline/local-" + port + ".pid")).doesNotExist();
        assertThat(portFree(port)).as("port released").isTrue();
        assertThat(Files.readString(home.resolve(".pipeline/local-" + port + ".log"))).contains("stopped");

        Result after = cli(Map.of(), "local", "status", "--port", Integer.toString(port));
        assertThat(after.code()).isEqualTo(1);
        assertThat(after.out()).contains("Local cloud: not running on port " + port);
    }

    @Test
    void start_failsWithAClearMessage_whenThePortIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();

            Result start = cli(Map.of(), "local", "start", "--port", Integer.toString(port));

            assertThat(start.code()).isEqualTo(1);
            assertThat(start.err()).isEqualTo("pipeline: port " + port + " on 127.0.0.1 is already in use (is a local cloud "
                    + "already running? try './pipeline local status', or choose another with --port)\n");
            assertThat(start.out()).isEmpty();
            assertThat(home.resolve(".pipeline/local-" + port + ".pid")).doesNotExist();
        }
    }

    @Test
    void start_failsWithOneLine_whenMotoIsMissing() throws Exception {
        int port = freePort();
        Path emptyHome = Files.createDirectories(home.resolve("no-home"));
        // no Python with moto anywhere the launcher looks: bare PATH, no pyenv, an empty home
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "PYENV_ROOT", home.resolve("no-pyenv").toString(),
                "JAVA_TOOL_OPTIONS", "-Duser.home=" + emptyHome);

        Result start = cli(env, "local", "start", "--port", Integer.toString(port));
        startedPorts.add(port);

        assertThat(start.code()).isEqualTo(1);
        List<String> errLines = start.err().lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
        assertThat(errLines).hasSize(1);
        assertThat(errLines.getFirst()).startsWith("pipeline: moto_server 5.2.1 not found").contains("pip install 'moto[server]==5.2.1'");
        assertThat(portFree(port)).isTrue();
    }

    @AfterEach
    void stopWhatWeStarted() throws Exception {
        for (int port : startedPorts) {
            Path pidFile = home.resolve(".pipeline/local-" + port + ".pid");
            if (Files.exists(pidFile)) {
                cli(Map.of(), "local", "stop", "--port", Integer.toString(port));
                // a stop that failed leaves the pid: end that process only, never anything by name
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private Result cli(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("pipeline.jar", "target/pipeline.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("PIPELINE_PYTHON");
        pb.environment().put("PIPELINE_HOME", home.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pipeline " + String.join(" ", args) + " did not finish in 150 s");
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Ec2Client ec2(String endpoint) {
        return Ec2Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(LocalCloud.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
