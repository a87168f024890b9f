package dev.pipeline.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A moto_server child process, started through our launcher (pinned version, Step Functions execution
 * on, repeated-execution fix, exits with its parent). Finds a Python that has moto even when PATH is bare.
 */
public final class MotoProcess implements AutoCloseable {
    public static final String EXPECTED_VERSION = "5.2.1";
    public static final String INSTALL_HINT = "pip install 'moto[server]==" + EXPECTED_VERSION + "'";
    private static final int EXIT_MOTO_MISSING = 3;

    private final Process process;
    private final int port;
    private final String python;
    private final StringBuffer stderrTail = new StringBuffer();

    private MotoProcess(Process process, int port, String python) {
        this.process = process;
        this.port = port;
        this.python = python;
    }

    /**
     * Starts moto on a free loopback port, telling it to send Step Functions tasks to {@code gatewayPort}.
     *
     * @throws MotoNotAvailableException with one line saying what to install when no Python has moto 5.2.1
     */
    public static MotoProcess start(int gatewayPort) throws IOException {
        return start(gatewayPort, pythonCandidates(), java.util.Map.of());
    }

    /**
     * Starts moto as {@link #start(int)} does, its Step Functions waits (Wait states, Retry intervals) on a clock
     * of {@code timeScale} AWS seconds per local second (see moto_launcher.py).
     */
    public static MotoProcess start(int gatewayPort, double timeScale) throws IOException {
        return start(gatewayPort, pythonCandidates(), java.util.Map.of("PIPELINE_TIME_SCALE", Double.toString(timeScale)));
    }

    /** Tries each Python in turn; {@code env} is added to the child's environment. */
    static MotoProcess start(int gatewayPort, List<String> pythons, java.util.Map<String, String> env) throws IOException {
        Path launcher = extractLauncher();
        List<String> tried = new ArrayList<>();
        String lastProblem = null;
        for (String python : pythons) {
            ProcessBuilder pb = new ProcessBuilder(python, "-u", launcher.toString(), "0", Integer.toString(gatewayPort));
            pb.environment().putAll(env);
            pb.environment().put("MOTO_PORT", Integer.toString(gatewayPort));
            pb.environment().putIfAbsent("MOTO_ALLOW_NONEXISTENT_REGION", "true");
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                tried.add(python + " (cannot run)");
                continue;
            }
            MotoProcess mp = awaitReady(p, python);
            if (mp != null) return mp;
            int code = p.exitValue();
            String err = drain(p.getErrorStream()).strip();
            tried.add(python);
            if (code == EXIT_MOTO_MISSING) {
                lastProblem = err;
                continue;
            }
            throw new MotoNotAvailableException("moto_server failed to start with " + python + " (exit " + code + "): " + lastLine(err));
        }
        throw new MotoNotAvailableException(lastProblem != null && !lastProblem.contains("is not installed")
                ? lastLine(lastProblem)
                : "moto_server " + EXPECTED_VERSION + " not found (tried: " + String.join(", ", tried)
                + "). Install it: " + INSTALL_HINT + " -- or set PIPELINE_PYTHON to a Python that has it.");
    }

    public int port() { return port; }

    public URI endpoint() { return URI.create("http://127.0.0.1:" + port); }

    public String python() { return python; }

    public boolean alive() { return process.isAlive(); }

    /** The last lines moto wrote to stderr (for diagnosing a crash). */
    public String stderrTail() { return stderrTail.toString(); }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close(); // the launcher exits when its stdin closes
        } catch (IOException ignored) {
            // fall through to signals
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static MotoProcess awaitReady(Process p, String python) throws IOException {
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(1);
        Thread reader = Thread.ofPlatform().daemon().name("moto-stdout").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                boolean sent = false;
                while ((line = r.readLine()) != null) {
                    if (!sent && line.startsWith("MOTO_READY ")) {
                        lines.offer(line);
                        sent = true;
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            lines.offer("EOF");
        });
        try {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                p.destroyForcibly();
                throw new MotoNotAvailableException("moto_server (" + python + ") did not report ready within 60 s");
            }
            if (line.equals("EOF")) {
                p.waitFor(5, TimeUnit.SECONDS);
                reader.join(1000);
                return null;
            }
            MotoProcess mp = new MotoProcess(p, Integer.parseInt(line.substring("MOTO_READY ".length()).trim()), python);
            Thread.ofPlatform().daemon().name("moto-stderr").start(() -> mp.keepTail(p.getErrorStream()));
            return mp;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while starting moto", e);
        }
    }

    private void keepTail(InputStream err) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                stderrTail.append(line).append('\n');
                if (stderrTail.length() > 16_384) stderrTail.delete(0, stderrTail.length() - 8_192);
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    /** Pythons to try, best first: $PIPELINE_PYTHON, moto_server's own interpreter, pyenv's, then PATH's. */
    static List<String> pythonCandidates() {
        Set<String> c = new LinkedHashSet<>();
        String explicit = System.getenv("PIPELINE_PYTHON");
        if (explicit != null && !explicit.isBlank()) c.add(explicit);
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) for (String d : path.split(":")) if (!d.isBlank()) dirs.add(Paths.get(d));
        Path home = Paths.get(System.getProperty("user.home"));
        Path pyenvRoot = System.getenv("PYENV_ROOT") != null ? Paths.get(System.getenv("PYENV_ROOT")) : home.resolve(".pyenv");
        try (Stream<Path> versions = Files.isDirectory(pyenvRoot.resolve("versions"))
                ? Files.list(pyenvRoot.resolve("versions")).sorted(java.util.Comparator.reverseOrder()) : Stream.empty()) {
            versions.forEach(v -> dirs.add(v.resolve("bin")));
        } catch (IOException ignored) {
            // no pyenv
        }
        dirs.add(home.resolve(".local/bin"));
        dirs.add(Paths.get("/usr/local/bin"));
        // the interpreter named in moto_server's shebang is one that has moto
        for (Path d : dirs) {
            Path ms = d.resolve("moto_server");
            if (Files.isRegularFile(ms)) {
                String shebang = shebang(ms);
                if (shebang != null) c.add(shebang);
            }
        }
        for (Path d : dirs) {
            for (String name : List.of("python3", "python")) {
                Path p = d.resolve(name);
                if (Files.isExecutable(p) && !d.toString().contains(".pyenv/shims")) c.add(p.toString());
            }
        }
        c.add("/usr/bin/python3");
        return new ArrayList<>(c);
    }

    private static String shebang(Path script) {
        try (BufferedReader r = Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            if (first == null || !first.startsWith("#!")) return null;
            String interp = first.substring(2).trim().split("\\s+")[0];
            return interp.endsWith("/env") || !Files.isExecutable(Paths.get(interp)) ? null : interp;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Path extractLauncher() throws IOException {
        try (InputStream in = MotoProcess.class.getResourceAsStream("moto_launcher.py")) {
            if (in == null) throw new IOException("moto_launcher.py missing from the classpath");
            Path f = Files.createTempFile("moto_launcher", ".py");
            f.toFile().deleteOnExit();
            Files.write(f, in.readAllBytes());
            return f;
        }
    }

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
