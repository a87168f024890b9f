package dev.pipeline.local.instances;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One EC2 instance as a little machine: its disk (a directory), its IMDS, its Tomcat, its console. Boots
 * (enabled units, then user data on its first boot only, as cloud-init's per-instance scripts), shuts down
 * (stops units: ExecStop hooks run), and runs commands, all through {@link InstanceSandbox}.
 */
final class LocalInstance {
    /** EC2 keeps the most recent 64 KB of console output. */
    private static final int CONSOLE_LIMIT = 64 * 1024;
    private final long startedNanos = System.nanoTime();

    enum Boot { PENDING, RUNNING_USER_DATA, COMPLETE, FAILED, NO_USER_DATA }

    private final InstanceModel model;
    private final String id;
    private final String imageId;
    private final String region;
    private final String availabilityZone;
    private final String privateIp;
    private volatile String instanceProfileArn;
    /** How many times the profile was looked up again because moto showed none when the instance was first seen. */
    private int profileLookups;
    private volatile String roleName;
    private final boolean metadataTags;
    private final String userData;
    private final Path disk;
    private final Path runtime;
    private final InstanceMetadataServer imds;
    private final EmbeddedTomcat tomcat;
    private final Map<Integer, ServerSocket> listeners = new LinkedHashMap<>();
    private final StringBuilder console = new StringBuilder();
    private volatile Map<String, String> tags;
    private volatile Boot boot = Boot.PENDING;
    private volatile Instant bootedAt;
    private volatile boolean up;
    private volatile Process userDataProcess;
    private volatile boolean cutOff;

    LocalInstance(InstanceModel model, String id, String imageId, String region, String availabilityZone, String privateIp,
                  String instanceProfileArn, String roleName, boolean metadataTags, String userData,
                  Map<String, String> tags, Path dir) throws IOException {
        this.model = model;
        this.id = id;
        this.imageId = imageId;
        this.region = region;
        this.availabilityZone = availabilityZone;
        this.privateIp = privateIp;
        this.instanceProfileArn = instanceProfileArn;
        this.roleName = roleName;
        this.metadataTags = metadataTags;
        this.userData = userData;
        this.tags = Map.copyOf(tags);
        this.disk = dir.resolve("disk");
        this.runtime = dir.resolve("runtime");
        this.imds = new InstanceMetadataServer(this);
        this.tomcat = new EmbeddedTomcat(disk.resolve("var/lib/tomcat9/webapps"), runtime.resolve("tomcat"), ServicePorts.next());
    }

    String id() { return id; }
    String imageId() { return imageId; }
    String region() { return region; }
    String availabilityZone() { return availabilityZone; }
    String privateIp() { return privateIp; }
    /**
     * The instance's profile. When the model first saw the instance moto may not have shown its profile yet (a
     * launch right after a reset; a boot script then failed with "Unable to locate credentials" in CI), so a missing one
     * is looked up again, a bounded number of times, rather than taken as "no profile" for the instance's life.
     */
    String instanceProfileArn() {
        String a = instanceProfileArn;
        if (a == null) {
            synchronized (this) {
                if (instanceProfileArn == null && profileLookups < PROFILE_LOOKUPS) {
                    profileLookups++;
                    instanceProfileArn = model.profileOf(id, tags);
                }
                a = instanceProfileArn;
            }
        }
        return a;
    }

    private static final int PROFILE_LOOKUPS = 20;
    /** The role of the instance's profile; null without one (then IMDS has no credentials, and SSM never sees it). */
    String roleName() {
        // read when first asked and kept once known: when the model first sees an instance, moto did not always
        // find its profile yet (seen right after a reset), and that must not leave the instance without credentials
        String r = roleName;
        String profile = r == null ? instanceProfileArn() : null;
        if (r == null && profile != null) roleName = r = model.roleOf(profile);
        return r;
    }
    boolean metadataTags() { return metadataTags; }
    Map<String, String> tags() { return tags; }
    void tags(Map<String, String> t) { tags = Map.copyOf(t); }
    Path disk() { return disk; }
    Boot boot() { return boot; }
    /** When the OS finished booting (null while it boots or is stopped). */
    Instant bootedAt() { return bootedAt; }
    boolean up() { return up; }

    synchronized String console() { return console.toString(); }

    synchronized void consoleLine(String line) {
        // as on an AL2023 console: seconds since the kernel started (here: since the instance was modelled), then the line
        console.append(String.format("[%12.6f] ", (System.nanoTime() - startedNanos) / 1e9)).append(line).append('\n');
        if (console.length() > CONSOLE_LIMIT) console.delete(0, console.length() - CONSOLE_LIMIT);
    }

    /** Where port {@code port} of this instance listens locally, when something does. */
    Optional<InetSocketAddress> endpoint(int port) {
        if (port == 8080 && tomcat.running()) return Optional.of(new InetSocketAddress("127.0.0.1", tomcat.port()));
        synchronized (listeners) {
            ServerSocket s = listeners.get(port);
            if (s != null) return Optional.of(new InetSocketAddress("127.0.0.1", s.getLocalPort()));
        }
        return Optional.empty();
    }

    /** The OS boots: enabled units start; on the instance's first boot its user data runs (cloud-init, per instance). */
    void bootOs() throws IOException, InterruptedException {
        deleteTree(runtime.resolve("run"));
        deleteTree(runtime.resolve("tmp"));
        consoleLine("Booting Amazon Linux 2023 (local cloud) on " + id);
        run("systemctl local-boot", this::consoleLine, 600);
        bootedAt = Instant.now();
        up = true;
        Path sem = disk.resolve("var/lib/cloud/instances/" + id + "/sem/config_scripts_user");
        if (Files.exists(sem)) return;
        if (userData == null || userData.isBlank() || !userData.startsWith("#!")) {
            boot = Boot.NO_USER_DATA;
            Files.createDirectories(sem.getParent());
            Files.writeString(sem, "");
            consoleLine("Cloud-init v. 22.2.2 finished: no user-data script for " + id);
            return;
        }
        Path dir = disk.resolve("var/lib/cloud/instances/" + id);
        Files.createDirectories(dir.resolve("scripts"));
        Files.createDirectories(dir.resolve("sem"));
        Files.writeString(dir.resolve("user-data.txt"), userData);
        Path part = dir.resolve("scripts/part-001");
        Files.writeString(part, userData);
        Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rwx------"));
        // cloud-init marks the per-instance module as run: a reboot (CreateImage's) never runs the script again
        Files.writeString(sem, "");
        boot = Boot.RUNNING_USER_DATA;
        consoleLine("Cloud-init v. 22.2.2 running 'modules:final' for " + id);
        int rc = model.userData(() -> run("/var/lib/cloud/instances/" + id + "/scripts/part-001", l -> consoleLine("cloud-init[1573]: " + l), 3600));
        userDataProcess = null;
        if (cutOff) return;
        if (rc == 0) {
            boot = Boot.COMPLETE;
            consoleLine("Cloud-init v. 22.2.2 finished. Datasource DataSourceEc2Local. User data script succeeded.");
        } else {
            boot = Boot.FAILED;
            consoleLine("util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [" + rc + "]");
            consoleLine("cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)");
            consoleLine("Cloud-init v. 22.2.2 finished with errors.");
        }
    }

    /** The OS shuts down cleanly: active units stop (their ExecStop hooks run), a running boot script is cut off. */
    void shutdownOs() throws IOException, InterruptedException {
        Process p = userDataProcess;
        if (p != null) {
            cutOff = true;
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            consoleLine("reboot: the boot script was still running; it is cut off");
        }
        if (up) run("systemctl local-shutdown", this::consoleLine, 300);
        tomcat.stop();
        closeListeners();
        up = false;
        bootedAt = null;
    }

    /** Runs a shell command on the instance; the exit code. */
    int run(String command, java.util.function.Consumer<String> output, long timeoutSeconds) throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LOCAL_IMDS", imds.endpoint());
        env.put("LOCAL_PORT_MAP", "8080=" + tomcat.port());
        env.put("LOCAL_TIME_SCALE", Double.toString(model.clock().scale()));
        env.put("AWS_ENDPOINT_URL", model.endpoint());
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint() + "/");
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv4");
        env.put("AWS_PAGER", "");
        return model.sandbox().run(disk, runtime, env, command, output, timeoutSeconds, p -> {
            if (command.contains("/scripts/part-001")) userDataProcess = p;
        });
    }

    /** A call from the instance's systemctl: start or stop a real service. */
    void control(String what) throws Exception {
        if (what.equals("tomcat/start")) {
            tomcat.start();
        } else if (what.equals("tomcat/stop")) {
            tomcat.stop();
        } else if (what.startsWith("listen/")) {
            int port = Integer.parseInt(what.substring("listen/".length()));
            synchronized (listeners) {
                if (!listeners.containsKey(port)) listeners.put(port, StandInListener.open(port));
            }
        } else if (what.startsWith("unlisten/")) {
            int port = Integer.parseInt(what.substring("unlisten/".length()));
            synchronized (listeners) {
                ServerSocket s = listeners.remove(port);
                if (s != null) s.close();
            }
        } else {
            throw new IllegalArgumentException("unknown control " + what);
        }
    }

    /** Stops everything of this instance that runs in the local cloud (its disk stays). */
    void halt() {
        Process p = userDataProcess;
        if (p != null) p.destroyForcibly();
        tomcat.stop();
        closeListeners();
        up = false;
    }

    void close() {
        halt();
        imds.close();
    }

    private void closeListeners() {
        synchronized (listeners) {
            for (ServerSocket s : listeners.values()) {
                try { s.close(); } catch (IOException e) { /* closing */ }
            }
            listeners.clear();
        }
    }

    static void deleteTree(Path p) throws IOException {
        // another thread (a reset's background delete) may remove parts of the tree meanwhile: walk again
        for (int attempt = 0; ; attempt++) {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
            try (var walk = Files.walk(p)) {
                for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
                return;
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt >= 3) throw e.getCause();
            } catch (java.nio.file.NoSuchFileException e) {
                if (attempt >= 3) throw e;
            }
        }
    }

    static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
