package dev.pipeline.local.events;

import dev.pipeline.local.LocalCloud;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real AWS CLI against a local cloud, with test credentials and no user config, so a test can show
 * the gateway works for a client nobody here wrote. Fails (never skips) when the CLI cannot be found.
 */
final class AwsCli {
    record Result(int exitCode, String output) {}

    private AwsCli() {}

    static Result run(LocalCloud cloud, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(find().toString(), "--endpoint-url", cloud.endpoint().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", LocalCloud.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", LocalCloud.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", LocalCloud.REGION);
        env.put("AWS_REGION", LocalCloud.REGION);
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        // a developer's own config (profiles, endpoints, retries) must not change what the test exercises
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The aws executable: on PATH first, then in pyenv's versions (where these machines install it). */
    static Path find() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) for (String d : path.split(":")) if (!d.isBlank() && !d.contains(".pyenv/shims")) dirs.add(Paths.get(d));
        Path home = Paths.get(System.getProperty("user.home"));
        Path pyenv = System.getenv("PYENV_ROOT") != null ? Paths.get(System.getenv("PYENV_ROOT")) : home.resolve(".pyenv");
        if (Files.isDirectory(pyenv.resolve("versions"))) {
            try (Stream<Path> versions = Files.list(pyenv.resolve("versions"))) {
                versions.sorted(Comparator.reverseOrder()).forEach(v -> dirs.add(v.resolve("bin")));
            } catch (IOException ignored) {
                // no pyenv versions to look in
            }
        }
        dirs.add(home.resolve(".local/bin"));
        for (Path d : dirs) {
            Path aws = d.resolve("aws");
            if (Files.isRegularFile(aws) && Files.isExecutable(aws)) return aws;
        }
        throw new AssertionError("the AWS CLI ('aws') was not found on PATH nor in " + pyenv.resolve("versions/*/bin")
                + "; install it (pip install awscli) to run this test");
    }
}
