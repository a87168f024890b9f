package dev.pipeline.local.instances;

import dev.pipeline.local.LocalClients;
import dev.pipeline.local.clock.LocalClock;
import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateIamInstanceProfileSpecification;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.iam.IamClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instance model: every EC2 instance moto says is running is a little machine here ({@link LocalInstance}):
 * it boots after a boot delay on the clock, runs its user data once, serves Tomcat for real; CreateImage copies
 * its disk (after a clean shutdown unless NoReboot) and stays pending for CreateImage's duration; GetConsoleOutput
 * answers its console. Instances are found by watching moto (RunInstances, Auto Scaling and instance refresh all
 * launch there), keyed by instance id. Answers {@link InstanceEndpoints} for the load balancer.
 */
public final class InstanceModel implements Interceptor, InstanceEndpoints {
    private static final Logger LOG = Logger.getLogger(InstanceModel.class.getName());
    /** From RunInstances to the end of the OS's boot (before user data): see local/README.md. */
    public static final Duration BOOT = Duration.ofSeconds(30);
    /** CreateImage from call to `available`: see local/README.md. */
    public static final Duration CREATE_IMAGE = Duration.ofMinutes(4);
    /** The SSM agent registers this long after the OS booted: see local/README.md. */
    public static final Duration SSM_REGISTRATION = Duration.ofSeconds(30);
    private static final List<String> STAND_INS = List.of("_common", "dnf", "rpm", "systemctl", "useradd", "curl", "wget", "_codedeploy-install", "aws",
            "sleep", "mysql", "rabbitmqctl");
    private static final Set<String> EC2_CHANGES = Set.of("RunInstances", "StartInstances", "StopInstances",
            "TerminateInstances", "RebootInstances", "CreateTags", "DeleteTags");
    private static final Set<String> TAG_CHANGES = Set.of("CreateTags", "DeleteTags");

    private final LocalClock clock;
    private final String endpoint;
    private final Path stateDir;
    private final InstanceSandbox sandbox;
    private final Ec2Client ec2;
    private final IamClient iam;
    private final AutoScalingClient autoscaling;
    private final Map<String, LocalInstance> instances = new ConcurrentHashMap<>();
    private final Map<String, String> lastState = new ConcurrentHashMap<>();
    private final Map<String, ImageRecord> images = new ConcurrentHashMap<>();
    /** Boot scripts at once: each runs bash and the AWS CLI (a Python start per call) on a shared machine. */
    private final Semaphore userDataSlots = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
    private final Object scanLock = new Object();
    private volatile boolean poked;
    private volatile boolean closed;
    private volatile long generation;
    private final Thread scanner;

    record ImageRecord(String imageId, String sourceInstanceId, Path disk, Instant availableAt, boolean captured) {}

    public InstanceModel(URI gateway, URI moto, LocalClock clock) throws IOException {
        this.clock = clock;
        this.endpoint = gateway.toString();
        this.stateDir = Files.createTempDirectory("local-cloud-instances-");
        Path bin = stateDir.resolve("os/bin");
        Files.createDirectories(bin);
        for (String name : STAND_INS) {
            try (InputStream in = InstanceModel.class.getResourceAsStream("os/" + name)) {
                if (in == null) throw new IllegalStateException("stand-in " + name + " missing from the local cloud's resources");
                Path f = bin.resolve(name);
                Files.write(f, in.readAllBytes());
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        this.sandbox = new InstanceSandbox(bin, InstanceSandbox.findAwsCli());
        this.ec2 = LocalClients.create(Ec2Client.class, moto);
        this.iam = LocalClients.create(IamClient.class, moto);
        this.autoscaling = LocalClients.create(AutoScalingClient.class, moto);
        this.scanner = Thread.ofPlatform().daemon().name("local-cloud-instances").start(this::scanLoop);
    }

    LocalClock clock() { return clock; }
    String endpoint() { return endpoint; }
    InstanceSandbox sandbox() { return sandbox; }

    interface Work { int run() throws IOException, InterruptedException; }

    int userData(Work w) throws IOException, InterruptedException {
        userDataSlots.acquire();
        try {
            return w.run();
        } finally {
            userDataSlots.release();
        }
    }

    @Override
    public Optional<InetSocketAddress> resolve(String instanceId, int port) {
        LocalInstance i = instances.get(instanceId);
        return i == null ? Optional.empty() : i.endpoint(port);
    }

    /** What a Run Command script did on an instance: exit code (124 when it ran past its timeout), stdout, stderr. */
    public record ScriptResult(int exitCode, boolean timedOut, String stdout, String stderr) {}

    /**
     * Runs a Run Command (AWS-RunShellScript) script on the instance as the SSM agent does: the lines written to
     * {@code _script.sh} under the agent's orchestration directory and run with {@code sh} as root, stdout and stderr
     * kept apart. Empty when the instance is not known or not up (the agent is not running).
     */
    public Optional<ScriptResult> runScript(String instanceId, String commandId, List<String> lines, long timeoutSeconds)
            throws IOException, InterruptedException {
        LocalInstance i = instances.get(instanceId);
        if (i == null || !i.up()) {
            LOG.warning("Run Command " + commandId + ": " + instanceId + (i == null ? " is not modelled" : " is not up"));
            return Optional.empty();
        }
        String dir = "/var/lib/amazon/ssm/" + instanceId + "/document/orchestration/" + commandId + "/awsrunShellScript/0.awsrunShellScript";
        Path onDisk = i.disk().resolve(dir.substring(1));
        Files.createDirectories(onDisk);
        Files.writeString(onDisk.resolve("_script.sh"), String.join("\n", lines) + "\n");
        long start = System.nanoTime();
        int rc = i.run("sh " + dir + "/_script.sh > " + dir + "/stdout 2> " + dir + "/stderr",
                line -> i.consoleLine("amazon-ssm-agent: " + line), timeoutSeconds);
        String out = Files.exists(onDisk.resolve("stdout")) ? Files.readString(onDisk.resolve("stdout")) : "";
        String err = Files.exists(onDisk.resolve("stderr")) ? Files.readString(onDisk.resolve("stderr")) : "";
        boolean timedOut = rc == 124 && System.nanoTime() - start >= java.util.concurrent.TimeUnit.SECONDS.toNanos(timeoutSeconds);
        return Optional.of(new ScriptResult(rc, timedOut, out, err));
    }

    /**
     * Runs {@code command} with bash as root on the instance, in its sandbox (what an agent on the instance runs, such
     * as CodeDeploy's hook scripts); each output line to {@code output}; the exit code (124 past the timeout, in wall
     * seconds). Empty when the instance is not modelled or not up.
     */
    public Optional<Integer> runCommand(String instanceId, String command, java.util.function.Consumer<String> output,
                                        long timeoutSeconds) throws IOException, InterruptedException {
        LocalInstance i = instances.get(instanceId);
        if (i == null || !i.up()) return Optional.empty();
        return Optional.of(i.run(command, output, timeoutSeconds));
    }

    /** The instance's disk (its /etc, /var, /opt... as the sandbox binds them); empty for an instance not modelled. */
    public Optional<Path> disk(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId)).map(LocalInstance::disk);
    }

    /** The instance's console output so far (what GetConsoleOutput returns, decoded); empty for an unknown instance. */
    public Optional<String> console(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId)).map(LocalInstance::console);
    }

    /** Whether the instance's SSM agent has registered (booted this long ago, with an instance profile). */
    public boolean ssmRegistered(String instanceId) {
        LocalInstance i = instances.get(instanceId);
        if (i == null || i.roleName() == null || i.bootedAt() == null) return false;
        return !Instant.now().isBefore(i.bootedAt().plus(clock.local(SSM_REGISTRATION)));
    }

    LocalInstance instance(String id) { return instances.get(id); }

    /** Tags on anything but an instance change nothing modelled here: no re-scan of moto for them. */
    private static boolean tagsAnInstance(AwsRequest request) {
        for (Map.Entry<String, String> p : request.formParams().entrySet()) {
            if (p.getKey().startsWith("ResourceId.") && p.getValue().startsWith("i-")) return true;
        }
        return false;
    }


    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        String service = request.service();
        String op = request.operation();
        if ("ec2".equals(service)) {
            switch (op) {
                case "GetConsoleOutput" -> {
                    LocalInstance i = instances.get(request.formParams().get("InstanceId"));
                    if (i == null) return null;
                    String out = Base64.getEncoder().encodeToString(i.console().getBytes(StandardCharsets.UTF_8));
                    return GatewayResponse.xml(200, """
                            <?xml version="1.0" encoding="UTF-8"?>
                            <GetConsoleOutputResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>%s</requestId><instanceId>%s</instanceId><timestamp>%s</timestamp><output>%s</output></GetConsoleOutputResponse>"""
                            .formatted(java.util.UUID.randomUUID(), i.id(), Instant.now(), out));
                }
                case "CreateImage" -> { return createImage(request, moto, null); }
                case "DescribeImages" -> { return describeImages(request, moto); }
                default -> {
                    if (EC2_CHANGES.contains(op) && (!TAG_CHANGES.contains(op) || tagsAnInstance(request))) {
                        GatewayResponse r = moto.forward(request);
                        poke();
                        return r;
                    }
                }
            }
        } else if ("autoscaling".equals(service) && !op.startsWith("Describe")) {
            GatewayResponse r = moto.forward(request);
            poke();
            return r;
        }
        return null;
    }

    /**
     * CreateImage made by {@code creator} (an interceptor that rewrites the call before moto, or moto itself when it
     * declines), then the instance's disk captured into the new image.
     */
    public Interceptor imageCapture(Interceptor creator) {
        return (request, moto) -> "ec2".equals(request.service()) && "CreateImage".equals(request.operation())
                ? createImage(request, moto, creator) : null;
    }

    private GatewayResponse createImage(AwsRequest request, MotoForwarder moto, Interceptor creator) throws Exception {
        GatewayResponse r = creator == null ? null : creator.intercept(request, moto);
        if (r == null) r = moto.forward(request);
        if (!r.ok()) return r;
        Matcher m = Pattern.compile("<imageId>([^<]+)</imageId>").matcher(r.bodyText());
        if (!m.find()) return r;
        String imageId = m.group(1);
        String instanceId = request.formParams().get("InstanceId");
        boolean noReboot = "true".equalsIgnoreCase(request.formParams().get("NoReboot"));
        Path disk = stateDir.resolve("images/" + imageId + "/disk");
        Instant availableAt = clock.after(CREATE_IMAGE);
        images.put(imageId, new ImageRecord(imageId, instanceId, disk, availableAt, false));
        long gen = generation;
        Thread.ofVirtual().name("create-image-" + imageId).start(() -> {
            try {
                capture(instanceId, noReboot, imageId, disk);
            } catch (Exception e) {
                if (gen == generation) LOG.log(Level.WARNING, "CreateImage " + imageId + " of " + instanceId + " failed", e);
            }
        });
        return r;
    }

    /** What CreateImage takes: with the reboot, a clean shutdown first (units stop, ExecStop hooks run), then boot again. */
    private void capture(String instanceId, boolean noReboot, String imageId, Path disk) throws IOException, InterruptedException {
        LocalInstance i = instances.get(instanceId);
        Files.createDirectories(disk.getParent());
        if (i == null) {
            Files.createDirectories(disk);
            images.computeIfPresent(imageId, (k, v) -> new ImageRecord(k, v.sourceInstanceId(), v.disk(), v.availableAt(), true));
            return;
        }
        if (!noReboot) {
            i.consoleLine("CreateImage " + imageId + ": rebooting to image a consistent disk");
            i.shutdownOs();
        }
        copyTree(i.disk(), disk);
        images.computeIfPresent(imageId, (k, v) -> new ImageRecord(k, v.sourceInstanceId(), v.disk(), v.availableAt(), true));
        if (!noReboot && !closed) {
            i.bootOs();
        }
    }

    private GatewayResponse describeImages(AwsRequest request, MotoForwarder moto) throws Exception {
        GatewayResponse r = moto.forward(request);
        if (!r.ok() || images.isEmpty()) return r;
        String body = r.bodyText();
        boolean changed = false;
        for (ImageRecord img : images.values()) {
            if (img.captured() && !Instant.now().isBefore(img.availableAt())) continue;
            int at = body.indexOf("<imageId>" + img.imageId() + "</imageId>");
            if (at < 0) continue;
            int state = body.indexOf("<imageState>available</imageState>", at);
            int next = body.indexOf("<imageId>", at + 1);
            if (state < 0 || (next >= 0 && state > next)) continue;
            body = body.substring(0, state) + "<imageState>pending</imageState>" + body.substring(state + "<imageState>available</imageState>".length());
            changed = true;
        }
        return changed ? r.withBody(body) : r;
    }

    void poke() {
        synchronized (scanLock) {
            poked = true;
            scanLock.notifyAll();
        }
    }

    private void scanLoop() {
        while (!closed) {
            try {
                synchronized (scanLock) {
                    if (!poked) scanLock.wait(1000);
                    poked = false;
                }
                if (closed) return;
                scan();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) LOG.log(Level.FINE, "instance scan failed (moto restarting or reset?)", e);
            }
        }
    }

    private synchronized void scan() {
        long gen = generation;
        Map<String, Instance> seen = new HashMap<>();
        ec2.describeInstancesPaginator(b -> {}).reservations().forEach(res -> res.instances().forEach(i -> seen.put(i.instanceId(), i)));
        for (Instance i : seen.values()) {
            String state = i.state().nameAsString();
            String before = lastState.put(i.instanceId(), state);
            LocalInstance known = instances.get(i.instanceId());
            if (known != null) known.tags(tags(i));
            if (state.equals(before)) continue;
            switch (state) {
                case "pending", "running" -> {
                    if (known == null) {
                        try {
                            known = create(i);
                        } catch (IOException | RuntimeException e) {
                            LOG.log(Level.WARNING, "cannot model instance " + i.instanceId(), e);
                            continue;
                        }
                    }
                    if (!"pending".equals(before) && !"running".equals(before)) startBoot(known, gen);
                }
                case "stopping", "stopped" -> { if (known != null) background(known, gen, LocalInstance::shutdownOs); }
                case "shutting-down", "terminated" -> { if (known != null) retire(known, gen); }
                default -> {}
            }
        }
        for (String id : List.copyOf(instances.keySet())) {
            if (!seen.containsKey(id)) retire(instances.get(id), gen);
        }
    }

    private interface Step { void run(LocalInstance i) throws IOException, InterruptedException; }

    private void background(LocalInstance i, long gen, Step step) {
        Thread.ofVirtual().name("instance-" + i.id()).start(() -> {
            try {
                step.run(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (gen == generation && !closed) {
                    i.consoleLine("local cloud: " + e);
                    LOG.log(Level.WARNING, "instance " + i.id() + " failed", e);
                }
            }
        });
    }

    private void startBoot(LocalInstance i, long gen) {
        background(i, gen, inst -> {
            clock.sleep(BOOT);
            if (gen != generation || closed || instances.get(inst.id()) != inst) return;
            inst.bootOs();
        });
    }

    private void retire(LocalInstance i, long gen) {
        if (i == null || instances.remove(i.id(), i) == false) return;
        keepConsole(i);
        background(i, gen, inst -> {
            if (inst.up()) inst.shutdownOs();
            inst.close();
            removeQuietly(stateDir.resolve("instances/" + inst.id()));
        });
    }

    private LocalInstance create(Instance i) throws IOException {
        Path dir = stateDir.resolve("instances/" + i.instanceId());
        Path disk = dir.resolve("disk");
        ImageRecord image = images.get(i.imageId());
        if (image != null && image.captured()) {
            copyTree(image.disk(), disk);
        } else {
            baseDisk(disk);
        }
        String profileArn = i.iamInstanceProfile() == null ? null : i.iamInstanceProfile().arn();
        boolean metadataTags = i.metadataOptions() != null && "enabled".equals(i.metadataOptions().instanceMetadataTagsAsString());
        Map<String, String> tags = tags(i);
        String group = tags.get("aws:autoscaling:groupName");
        if (profileArn == null && group != null) {
            // moto's Auto Scaling launches without the template's profile and metadata options (LOCAL-CLOUD.md)
            LaunchTemplateIamInstanceProfileSpecification p = groupProfile(group);
            if (p != null) profileArn = p.arn() != null ? p.arn() : "arn:aws:iam::123456789012:instance-profile/" + p.name();
        }
        String role = null; // read when first asked (LocalInstance.roleName)
        String userData = null;
        try {
            String b64 = ec2.describeInstanceAttribute(b -> b.instanceId(i.instanceId()).attribute(InstanceAttributeName.USER_DATA))
                    .userData().value();
            if (b64 != null && !b64.isEmpty()) userData = new String(Base64.getMimeDecoder().decode(b64), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no user data for " + i.instanceId(), e);
        }
        String az = i.placement() == null ? "us-east-1a" : i.placement().availabilityZone();
        String region = az.replaceAll("[a-z]$", "");
        LocalInstance li = new LocalInstance(this, i.instanceId(), i.imageId(), region, az, i.privateIpAddress(), profileArn,
                role, metadataTags, userData, tags, dir);
        instances.put(i.instanceId(), li);
        return li;
    }

    private LaunchTemplateIamInstanceProfileSpecification groupProfile(String group) {
        try {
            var g = autoscaling.describeAutoScalingGroups(b -> b.autoScalingGroupNames(group)).autoScalingGroups();
            if (g.isEmpty() || g.getFirst().launchTemplate() == null) return null;
            var lt = g.getFirst().launchTemplate();
            var versions = ec2.describeLaunchTemplateVersions(b -> {
                if (lt.launchTemplateId() != null) b.launchTemplateId(lt.launchTemplateId());
                else b.launchTemplateName(lt.launchTemplateName());
                b.versions(lt.version() == null ? "$Default" : lt.version());
            }).launchTemplateVersions();
            return versions.isEmpty() ? null : versions.getFirst().launchTemplateData().iamInstanceProfile();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The instance's profile as moto shows it now (or its Auto Scaling group's template's); null without one. */
    String profileOf(String instanceId, Map<String, String> tags) {
        try {
            var found = ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).findFirst();
            if (found.isPresent() && found.get().iamInstanceProfile() != null) return found.get().iamInstanceProfile().arn();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot describe " + instanceId + " (yet)", e);
        }
        String group = tags.get("aws:autoscaling:groupName");
        LaunchTemplateIamInstanceProfileSpecification p = group == null ? null : groupProfile(group);
        if (p == null) return null;
        return p.arn() != null ? p.arn() : "arn:aws:iam::123456789012:instance-profile/" + p.name();
    }

    String roleOf(String profileArn) {
        String name = profileArn.substring(profileArn.lastIndexOf('/') + 1);
        try {
            var roles = iam.getInstanceProfile(b -> b.instanceProfileName(name)).instanceProfile().roles();
            return roles.isEmpty() ? null : roles.getFirst().roleName();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot read instance profile " + profileArn + " (yet)", e);
            return null;
        }
    }

    private static Map<String, String> tags(Instance i) {
        Map<String, String> t = new LinkedHashMap<>();
        for (Tag tag : i.tags()) t.put(tag.key(), tag.value());
        return t;
    }

    /** A fresh Amazon Linux 2023 disk as far as the scripts care: users, name service, hosts, os-release. */
    private static void baseDisk(Path disk) throws IOException {
        Path etc = disk.resolve("etc");
        Files.createDirectories(etc);
        for (String f : List.of("passwd", "group", "hosts", "resolv.conf", "nsswitch.conf", "localtime", "ld.so.cache")) {
            Path src = Path.of("/etc", f);
            if (Files.exists(src)) Files.copy(src, etc.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        copyTree(Path.of("/etc/alternatives"), etc.resolve("alternatives"));
        Files.writeString(etc.resolve("os-release"), """
                NAME="Amazon Linux"
                VERSION="2023"
                ID="amzn"
                ID_LIKE="fedora"
                VERSION_ID="2023"
                PRETTY_NAME="Amazon Linux 2023 (local cloud stand-in)"
                """);
        for (String d : List.of("etc/systemd/system", "etc/yum.repos.d", "var/log", "var/lib", "usr/local/bin", "usr/local/sbin",
                "usr/local/lib/systemd/system", "opt", "root", "home", "srv")) {
            Files.createDirectories(disk.resolve(d));
        }
    }

    /** cp -a: ownership, modes and links as they are (an image is the disk as it is). */
    static void copyTree(Path from, Path to) throws IOException {
        if (!Files.exists(from)) return;
        Files.createDirectories(to.getParent());
        try {
            Process p = new ProcessBuilder("cp", "-a", "--reflink=auto", from.toString(), to.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("cp -a " + from + " failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying " + from, e);
        }
    }

    /** With -Dpipeline.instances.consoles=DIR, each instance's console is kept there when it goes (for debugging). */
    private static void keepConsole(LocalInstance i) {
        String dir = System.getProperty("pipeline.instances.consoles");
        if (dir == null) return;
        try {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, i.id() + ".log"), i.console());
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot keep the console of " + i.id(), e);
        }
    }

    @Override
    public synchronized void reset() {
        generation++;
        for (LocalInstance i : instances.values()) {
            keepConsole(i);
            i.close();
        }
        instances.clear();
        lastState.clear();
        images.clear();
        // Boots of the old instances may still be writing: move their directories aside at once (a reset must not
        // wait for them or fail on them) and delete them in the background.
        for (String d : List.of("instances", "images")) {
            Path dir = stateDir.resolve(d);
            if (!Files.exists(dir)) continue;
            Path trash = stateDir.resolve("trash-" + d + "-" + generation);
            try {
                Files.move(dir, trash);
                Thread.ofVirtual().start(() -> removeQuietly(trash));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not move " + dir + " aside", e);
            }
        }
    }

    /** rm -rf, best effort: what is left is under the state directory, removed when the cloud closes. */
    static void removeQuietly(Path p) {
        try {
            Process rm = new ProcessBuilder("rm", "-rf", p.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            rm.waitFor(120, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not remove " + p, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        scanner.interrupt();
        reset();
        removeQuietly(stateDir);
        ec2.close();
        iam.close();
        autoscaling.close();
    }

    static String errorXml(AwsRequest r, String code, String message) {
        return AwsErrors.error(r, 400, code, message).bodyText();
    }
}
