package dev.pipeline.local.instances;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a command on an instance: bash under bubblewrap, with the instance's own /etc, /var, /opt, /root, /home,
 * /usr/local (its disk, what an image captures) and /run, /tmp (gone at reboot) bound from its directories, the
 * host's /usr read-only beneath (the programs), the network shared, and the stand-ins for AL2023's dnf, rpm,
 * systemctl... first on PATH. Writes outside the instance's directories fail (read-only or not there).
 */
final class InstanceSandbox {
    /** The directories of an instance's disk: what CreateImage copies. */
    static final List<String> DISK = List.of("etc", "var", "opt", "root", "home", "srv", "usr/local");

    private final Path standIns;
    private final Path awsCli;

    InstanceSandbox(Path standIns, Path awsCli) {
        this.standIns = standIns;
        this.awsCli = awsCli;
    }

    /** Runs {@code command} (bash -c) on the instance; each line of output goes to {@code output}; the exit code. */
    int run(Path disk, Path runtime, Map<String, String> env, String command, Consumer<String> output, long timeoutSeconds,
            Consumer<Process> started)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bwrap", "--die-with-parent", "--unshare-pid",
                "--ro-bind", "/usr", "/usr",
                "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                "--symlink", "usr/sbin", "/sbin"));
        for (String d : DISK) {
            Files.createDirectories(disk.resolve(d));
            cmd.addAll(List.of("--bind", disk.resolve(d).toString(), "/" + d));
        }
        Files.createDirectories(runtime.resolve("run"));
        Files.createDirectories(runtime.resolve("tmp"));
        cmd.addAll(List.of("--bind", runtime.resolve("run").toString(), "/run",
                "--bind", runtime.resolve("tmp").toString(), "/tmp",
                "--ro-bind", standIns.toString(), "/.local-cloud/bin",
                "--proc", "/proc", "--dev", "/dev", "--chdir", "/", "--clearenv"));
        // the AWS CLI's Python lives under the host's /root, which the instance's own /root hides: bind it back read-only
        Path pythonHome = awsCli.toAbsolutePath().getParent().getParent();
        if (pythonHome.startsWith("/root") || pythonHome.startsWith("/home")) {
            cmd.addAll(List.of("--ro-bind", pythonHome.toString(), pythonHome.toString()));
        }
        for (Map.Entry<String, String> e : env.entrySet()) cmd.addAll(List.of("--setenv", e.getKey(), e.getValue()));
        cmd.addAll(List.of("--setenv", "LOCAL_AWS_CLI", awsCli.toString(),
                "--setenv", "PATH", "/.local-cloud/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin",
                "--setenv", "HOME", "/root", "--setenv", "LANG", "C.UTF-8",
                "/usr/bin/bash", "-c", command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        started.accept(p);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) output.accept(line);
            } catch (IOException e) {
                // the process went away; its exit code says how
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                output.accept("local cloud: command timed out after " + timeoutSeconds + " s");
                p.waitFor();
                reader.join(1000);
                return 124;
            }
            reader.join(5000);
            return p.exitValue();
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
    }

    /** The AWS CLI the instances use: $PIPELINE_AWS_CLI, else pyenv's, else the one on PATH. */
    static Path findAwsCli() {
        String configured = System.getenv("PIPELINE_AWS_CLI");
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        Path home = Path.of(System.getProperty("user.home"));
        Path pyenv = home.resolve(".pyenv/versions/3.11.7/bin/aws");
        if (Files.isExecutable(pyenv)) return pyenv;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path aws = Path.of(dir, "aws");
            if (Files.isExecutable(aws)) return aws;
        }
        return pyenv;
    }
}
