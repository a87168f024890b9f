package dev.pipeline.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.Workspace;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.PortInUseException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code local start}: spawns {@code local serve} as a detached JVM, waits until it answers, and says how to
 * use it. Not idempotent on purpose: a second start on a busy port fails and says what is there.
 */
public final class LocalStartCommand implements Command {
    /** moto gets 60 s to report ready (MotoProcess); the JVM and the gateway need a little more. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    @Override public String name() { return "local start"; }

    @Override public String summary() { return "Start the local cloud in the background"; }

    @Override public String description() {
        return """
            Starts the local cloud (moto_server behind the edge gateway) in the background on 127.0.0.1:PORT,
            waits until it answers, and prints how to point the AWS CLI and SDKs at it.
            Output goes to .pipeline/local-PORT.log, the process id to .pipeline/local-PORT.pid.
            Exits 1 when the port is in use or moto_server is missing.""";
    }

    @Override public List<Option> options() {
        return List.of(Option.value("port", "N", "4566", "Gateway port on 127.0.0.1"),
                Option.value("iam", "MODE", "enforce", "IAM: enforce (deny as AWS would), soft (log would-be denials, allow), off"),
                Option.value("time-scale", "N", "60", "AWS seconds per local second for boot, images, warm-ups (1 = real time)"));
    }

    /** The --iam option, checked. */
    static String iamMode(Options options, Command command) {
        String mode = options.value("iam").orElse("enforce");
        if (!List.of("enforce", "soft", "off").contains(mode)) {
            throw new dev.pipeline.cli.UsageException("option --iam must be enforce, soft or off, not '" + mode + "'", command.name());
        }
        return mode;
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        int port = options.intValue("port", 1, 65535);
        Workspace ws = context.workspace();
        LocalControl control = new LocalControl(port);
        PidFile pidFile = new PidFile(ws.pidFile(port));
        if (control.portInUse()) {
            if (control.status().isPresent()) {
                throw new CommandFailedException("a local cloud is already running at " + control.endpoint()
                        + " (see './pipeline local status" + portArg(port) + "', stop it with './pipeline local stop" + portArg(port) + "')");
            }
            throw new PortInUseException(port, null);
        }
        if (pidFile.liveServer().isEmpty()) pidFile.delete(); // stale, from a killed server

        Path log = ws.logFile(port);
        Files.createDirectories(log.getParent());
        List<String> serve = new ArrayList<>(serveCommand(port, options.clock().scale()));
        serve.addAll(List.of("--iam", iamMode(options, this)));
        ProcessBuilder pb = new ProcessBuilder(serve)
                .directory(ws.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("PIPELINE_HOME", ws.root().toString());
        long t0 = System.nanoTime();
        Process server = pb.start();

        JsonNode status = awaitReady(server, control, pidFile, ws, log);
        context.out().printf("Local cloud running at %s (pid %s; moto %s on port %s; ready in %.1f s)%n%n",
                control.endpoint(), pidFile.read().map(String::valueOf).orElse("?"),
                status.path("motoVersion").asText(), status.path("motoPort").asText(),
                (System.nanoTime() - t0) / 1e9);
        context.out().print(usage(control, ws, log));
        return Main.OK;
    }

    /** {@code [setsid] java -cp <this classpath> dev.pipeline.cli.Main local serve --port N}. */
    static List<String> serveCommand(int port) {
        return serveCommand(port, dev.pipeline.local.clock.LocalClock.DEFAULT_SCALE);
    }

    /** ... with {@code --time-scale scale}. */
    static List<String> serveCommand(int port, double scale) {
        List<String> cmd = new ArrayList<>();
        // its own session: closing the terminal that ran 'local start' must not hang up the server
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator)));
        cmd.addAll(List.of(Main.class.getName(), "local", "serve", "--port", Integer.toString(port),
                "--time-scale", Double.toString(scale)));
        return cmd;
    }

    private static JsonNode awaitReady(Process server, LocalControl control, PidFile pidFile, Workspace ws, Path log)
            throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new CommandFailedException(failureFromLog(log, ws, server.exitValue()));
            }
            // ready = the gateway answers and the server has registered its functions (it writes the pid file last)
            if (pidFile.read().isPresent()) {
                Optional<JsonNode> status = control.status();
                if (status.isPresent()) return status.get();
            }
            Thread.sleep(100);
        }
        server.destroy();
        throw new CommandFailedException("the local cloud did not answer within " + READY_TIMEOUT.toSeconds()
                + " s; see " + ws.show(log));
    }

    /** The server's own one-line reason ("pipeline: ..."), e.g. moto missing or the port taken meanwhile. */
    static String failureFromLog(Path log, Workspace ws, int exitCode) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            lines = List.of();
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("pipeline: ")) return lines.get(i).substring("pipeline: ".length());
        }
        String last = lines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("(no output)");
        return "the local cloud exited with code " + exitCode + " before it answered: " + last + " (see " + ws.show(log) + ")";
    }

    private static String usage(LocalControl control, Workspace ws, Path log) {
        String e = control.endpoint().toString();
        String p = portArg(control.port());
        return """
            Point the AWS CLI or an SDK at it (any credentials work):
              export AWS_ENDPOINT_URL=%s AWS_REGION=%s AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s
              aws ec2 describe-vpcs
            or one command at a time:
              aws --endpoint-url %s --region %s ec2 describe-vpcs

            Log:    %s
            Status: ./pipeline local status%s
            Stop:   ./pipeline local stop%s
            """.formatted(e, LocalCloud.REGION, LocalCloud.ACCESS_KEY, LocalCloud.SECRET_KEY, e, LocalCloud.REGION,
                ws.show(log), p, p);
    }

    static String portArg(int port) {
        return port == 4566 ? "" : " --port " + port;
    }
}
