package dev.pipeline.local.codedeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalClients;
import dev.pipeline.local.clock.LocalClock;
import dev.pipeline.local.instances.InstanceModel;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs CodeDeploy in-place deployments on the instance model, as the service and its agent do (references in
 * local/README.md, "CodeDeploy deployments"): targets are the group's Auto Scaling groups' InService instances and
 * the running instances its EC2 tag filters match; they are deployed to in batches the deployment configuration's
 * minimum healthy hosts allow; on each instance the lifecycle events run in AWS's order, the appspec's hook scripts
 * run as root in the instance's sandbox, and with traffic control the instance leaves its target groups (BlockTraffic)
 * and comes back once healthy (AllowTraffic). Durations of AWS's own (deregistration delay, the agent's one-hour
 * timeout) run on the local clock; scripts run in wall time.
 */
public final class DeploymentRunner {
    private static final Logger LOG = Logger.getLogger(DeploymentRunner.class.getName());
    static final List<String> BLOCK = List.of("BeforeBlockTraffic", "BlockTraffic", "AfterBlockTraffic");
    static final List<String> IN_PLACE = List.of("ApplicationStop", "DownloadBundle", "BeforeInstall", "Install",
            "AfterInstall", "ApplicationStart", "ValidateService");
    static final List<String> ALLOW = List.of("BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic");
    /** Hooks the agent runs from the last successful deployment's archive ({@code hook_executor.rb}, mapping_between_hooks_and_deployments). */
    static final Set<String> FROM_LAST_SUCCESSFUL = Set.of("ApplicationStop", "BeforeBlockTraffic", "AfterBlockTraffic");
    /** "CodeDeploy has a one-hour timeout for the CodeDeploy agent to respond to pending deployments" (troubleshooting Auto Scaling). */
    static final Duration AGENT_TIMEOUT = Duration.ofHours(1);
    /** What the agent keeps of a hook's log ({@code ScriptLog}: 2048 characters); the API's logTail is "up to the last 4 KB". */
    static final int LOG_TAIL = 2048;
    static final String ROOT = "/opt/codedeploy-agent/deployment-root";
    private static final Duration TARGET_DEFAULT_DELAY = Duration.ofSeconds(300);

    private final LocalClock clock;
    private final InstanceModel instances;
    private final S3Client s3;
    private final AutoScalingClient autoscaling;
    private final Ec2Client ec2;
    private final CloudWatchClient cloudwatch;
    private final ElasticLoadBalancingV2Client elb;
    private final software.amazon.awssdk.services.iam.IamClient iam;
    private final Path work;
    private volatile CodeDeployService service;
    private volatile long generation;
    private volatile boolean closed;
    /** instance id → group id → the deployment root (on the instance) of its last successful deployment. */
    private final Map<String, Map<String, String>> lastSuccessfulRoot = new ConcurrentHashMap<>();
    private final Map<String, Path> bundles = new ConcurrentHashMap<>();
    private final Thread scanner;

    /**
     * @param gateway the local cloud's endpoint: load balancer calls go through it, so the local load balancers see the
     *                registrations at once and DescribeTargetHealth answers from their checks
     * @param moto    moto itself, for reads the deployment makes as the service (S3 bundle, groups, instances, alarms)
     */
    public DeploymentRunner(URI gateway, URI moto, LocalClock clock, InstanceModel instances) throws IOException {
        this.clock = clock;
        this.instances = instances;
        this.s3 = LocalClients.create(S3Client.class, moto);
        this.autoscaling = LocalClients.create(AutoScalingClient.class, moto);
        this.ec2 = LocalClients.create(Ec2Client.class, moto);
        this.cloudwatch = LocalClients.create(CloudWatchClient.class, moto);
        this.elb = LocalClients.create(ElasticLoadBalancingV2Client.class, gateway);
        this.iam = LocalClients.create(software.amazon.awssdk.services.iam.IamClient.class, moto);
        this.work = Files.createTempDirectory("local-cloud-codedeploy-");
        this.scanner = Thread.ofVirtual().name("codedeploy-autoscaling-launches").start(this::scanLoop);
    }

    void service(CodeDeployService s) { this.service = s; }

    /** The named Auto Scaling groups that do not exist (read from moto, as the service). */
    List<String> missingAutoScalingGroups(List<String> names) {
        if (names.isEmpty()) return List.of();
        Set<String> found = new java.util.HashSet<>();
        autoscaling.describeAutoScalingGroups(b -> b.autoScalingGroupNames(names)).autoScalingGroups()
                .forEach(a -> found.add(a.autoScalingGroupName()));
        return names.stream().filter(n -> !found.contains(n)).toList();
    }

    /**
     * Whether CodeDeploy could act as the role: it exists in this account and its trust policy names the service
     * principal {@code codedeploy.amazonaws.com} (CodeDeploy user guide, "Step 2: Create a service role for
     * CodeDeploy").
     */
    boolean roleUsable(String arn) {
        int slash = arn.lastIndexOf('/');
        if (!arn.startsWith("arn:aws:iam::") || slash < 0) return false;
        try {
            String trust = iam.getRole(b -> b.roleName(arn.substring(slash + 1))).role().assumeRolePolicyDocument();
            return java.net.URLDecoder.decode(trust, StandardCharsets.UTF_8).contains("codedeploy.amazonaws.com");
        } catch (software.amazon.awssdk.services.iam.model.NoSuchEntityException e) {
            return false;
        }
    }

    // ---- targets

    /** The group's targets now: its Auto Scaling groups' InService instances, then the running instances its tags match. */
    List<String> targets(Model.Group g) {
        Set<String> ids = new LinkedHashSet<>();
        List<String> asgs = g.autoScalingGroups();
        if (!asgs.isEmpty()) {
            autoscaling.describeAutoScalingGroups(b -> b.autoScalingGroupNames(asgs)).autoScalingGroups().forEach(a ->
                    a.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString()))
                            .map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId).sorted().forEach(ids::add));
        }
        // ec2TagFilters: KEY_ONLY, VALUE_ONLY, KEY_AND_VALUE; an instance matching any filter is a target (EC2TagFilter)
        for (JsonNode f : g.spec.path("ec2TagFilters")) {
            String type = f.path("Type").asText("KEY_AND_VALUE");
            Filter filter = switch (type) {
                case "KEY_ONLY" -> Filter.builder().name("tag-key").values(f.path("Key").asText()).build();
                case "VALUE_ONLY" -> Filter.builder().name("tag-value").values(f.path("Value").asText()).build();
                default -> Filter.builder().name("tag:" + f.path("Key").asText()).values(f.path("Value").asText()).build();
            };
            ec2.describeInstances(b -> b.filters(filter, Filter.builder().name("instance-state-name").values("running").build()))
                    .reservations().forEach(r -> r.instances().stream()
                            .map(software.amazon.awssdk.services.ec2.model.Instance::instanceId).sorted().forEach(ids::add));
        }
        return List.copyOf(ids);
    }

    static List<String> events(boolean trafficControl) {
        List<String> out = new ArrayList<>();
        if (trafficControl) out.addAll(BLOCK);
        out.addAll(IN_PLACE);
        if (trafficControl) out.addAll(ALLOW);
        return out;
    }

    /** Called when a group is created or updated: what its Auto Scaling groups run now is not a launch. */
    void watch(Model.Group g) {
        try {
            if (!g.autoScalingGroups().isEmpty()) g.seenInstances.addAll(targets(g));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "CodeDeploy: cannot read the Auto Scaling groups of " + g.name, e);
        }
    }

    // ---- running a deployment

    void run(Model.Deployment d, Model.Group g, List<String> onlyInstances) {
        List<String> ids = onlyInstances != null ? onlyInstances : targets(g);
        Instant now = Instant.now();
        for (String id : ids) d.targets.put(id, new Model.Target(id, events(g.trafficControl()), now));
        g.seenInstances.addAll(ids);
        long gen = generation;
        Thread.ofVirtual().name("codedeploy-" + d.id).start(() -> {
            try {
                execute(d, g, gen);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (gen != generation) return;
                LOG.log(Level.WARNING, "CodeDeploy deployment " + d.id + " failed in the local cloud", e);
                end(d, g, "Failed", "INTERNAL_ERROR", "local cloud: " + e);
            }
        });
    }

    private void execute(Model.Deployment d, Model.Group g, long gen) throws Exception {
        clock.sleep(Duration.ofSeconds(1));
        if (gen != generation) return;
        d.status = "InProgress";
        d.started = Instant.now();
        List<Model.Target> targets = d.targetList();
        if (targets.isEmpty()) {
            // the wording users quote from CodeDeploy for NO_INSTANCES
            end(d, g, "Failed", "NO_INSTANCES", "The deployment failed because no instances were found for your deployment group. "
                    + "Check your deployment group settings to make sure the tags for your EC2 instances or Auto Scaling groups "
                    + "correctly identify the instances you want to deploy to, and then try again.");
            return;
        }
        DeploymentConfig config = service.config(d.configName);
        int n = targets.size();
        int minimum = config.minimumHealthy(n);
        int batch = config.batchSize(n);
        if (batch == 0) {
            skipRest(d);
            end(d, g, "Failed", "HEALTH_CONSTRAINTS_INVALID", "The deployment failed because the minimum number of healthy instances ("
                    + minimum + ") of deployment configuration " + d.configName + " leaves no instance of the " + n + " to deploy to.");
            return;
        }
        Deque<Model.Target> queue = new ArrayDeque<>(targets);
        boolean constrained = false;
        while (!queue.isEmpty()) {
            if (gen != generation) return;
            checkAlarms(d, g);
            if (d.stopRequested) break;
            long failed = targets.stream().filter(t -> t.status.equals("Failed")).count();
            int size = Math.min(batch, queue.size());
            if (n - failed - size < minimum) {
                constrained = true;
                break;
            }
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                Model.Target t = queue.poll();
                threads.add(Thread.ofVirtual().name("codedeploy-" + d.id + "-" + t.instanceId).start(() -> {
                    try {
                        deployTo(d, g, t, gen);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        LOG.log(Level.WARNING, "CodeDeploy " + d.id + " on " + t.instanceId, e);
                        t.status = "Failed";
                        t.lastUpdated = Instant.now();
                    }
                }));
            }
            for (Thread t : threads) t.join();
        }
        if (gen != generation) return;
        skipRest(d);
        if (d.stopRequested) {
            end(d, g, "Stopped", d.errorCode != null ? d.errorCode : null, d.stopMessage);
            return;
        }
        long succeeded = targets.stream().filter(t -> t.status.equals("Succeeded")).count();
        if (constrained || !config.succeeded(n, (int) succeeded)) {
            // ErrorInformation HEALTH_CONSTRAINTS; the message is the one CodeDeploy gives (users quote it verbatim)
            end(d, g, "Failed", "HEALTH_CONSTRAINTS", "The overall deployment failed because too many individual instances failed "
                    + "deployment, too few healthy instances are available for deployment, or some instances in your deployment "
                    + "group are experiencing problems.");
            return;
        }
        end(d, g, "Succeeded", null, null);
    }

    private void skipRest(Model.Deployment d) {
        Instant now = Instant.now();
        for (Model.Target t : d.targetList()) {
            if (t.status.equals("Pending")) {
                t.status = "Skipped";
                t.lastUpdated = now;
                for (Model.Event e : t.events) e.status = "Skipped";
            }
        }
    }

    private void end(Model.Deployment d, Model.Group g, String status, String code, String message) {
        synchronized (service) {
            if (!d.active()) return;
            if (code != null) {
                d.errorCode = code;
                d.errorMessage = message;
            }
            d.completed = Instant.now();
            d.status = status;
        }
        if (status.equals("Succeeded")) {
            g.lastSuccessfulDeploymentId = d.id;
            return;
        }
        // AutoRollbackConfiguration events: DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM, DEPLOYMENT_STOP_ON_REQUEST;
        // StopDeployment's autoRollbackEnabled asks for one too
        String event = "ALARM_ACTIVE".equals(code) ? "DEPLOYMENT_STOP_ON_ALARM"
                : status.equals("Failed") ? "DEPLOYMENT_FAILURE" : "DEPLOYMENT_STOP_ON_REQUEST";
        boolean rollback = g.autoRollbackOn(event) || d.rollbackOnStop;
        if (!rollback || "codeDeployRollback".equals(d.creator)) return;
        Model.Deployment good = g.lastSuccessfulDeploymentId == null ? null : service.deployments.get(g.lastSuccessfulDeploymentId);
        if (good == null) {
            // "If no previous deployment was successful ... there is no revision to roll back to" (user guide, redeploy and roll back)
            ObjectNode r = CodeDeployService.JSON.createObjectNode();
            r.put("rollbackMessage", "Automatic rollback skipped: no previous successful deployment in deployment group " + g.name);
            d.rollbackInfo = r;
            return;
        }
        ObjectNode triggering = CodeDeployService.JSON.createObjectNode().put("rollbackTriggeringDeploymentId", d.id)
                .put("rollbackMessage", "Automatic rollback of deployment " + d.id + " to the revision of " + good.id);
        try {
            Model.Deployment r = service.start(g, good.revision, d.configName, "codeDeployRollback",
                    "Rollback of " + d.id, new ArrayList<>(d.targets.keySet()), triggering);
            d.rollbackInfo = CodeDeployService.JSON.createObjectNode().put("rollbackDeploymentId", r.id)
                    .put("rollbackMessage", "Deployment " + d.id + " failed and was rolled back by deployment " + r.id);
        } catch (CodeDeployService.Refused e) {
            LOG.warning("CodeDeploy: rollback of " + d.id + " refused: " + e.getMessage());
        }
    }

    void stopping(Model.Deployment d, boolean autoRollback) {
        d.rollbackOnStop = autoRollback;
    }

    private void checkAlarms(Model.Deployment d, Model.Group g) {
        JsonNode a = d.groupSpec.path("alarmConfiguration");
        if (!a.path("enabled").asBoolean(false) || d.stopRequested) return;
        List<String> names = new ArrayList<>();
        a.path("alarms").forEach(x -> names.add(x.path("name").asText()));
        if (names.isEmpty()) return;
        try {
            List<String> firing = cloudwatch.describeAlarms(b -> b.alarmNames(names)).metricAlarms().stream()
                    .filter(m -> m.stateValue() == StateValue.ALARM).map(MetricAlarm::alarmName).toList();
            if (!firing.isEmpty()) {
                d.errorCode = "ALARM_ACTIVE";
                // ErrorInformation ALARM_ACTIVE; the message is ours
                d.stopMessage = "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, "
                        + "and the affected deployments have been stopped. Activated alarms: " + String.join(", ", firing);
                d.stopRequested = true;
            }
        } catch (RuntimeException e) {
            if (!a.path("ignorePollAlarmFailure").asBoolean(false)) {
                d.errorCode = "ALARM_CONFIG";
                d.stopMessage = "The alarms of the deployment group could not be read: " + e.getMessage();
                d.stopRequested = true;
            }
        }
    }

    // ---- one instance

    private void deployTo(Model.Deployment d, Model.Group g, Model.Target t, long gen) throws Exception {
        t.status = "InProgress";
        t.lastUpdated = Instant.now();
        String root = ROOT + "/" + d.groupId + "/" + d.id;
        Instant agentDeadline = clock.after(AGENT_TIMEOUT);
        boolean agentSeen = false;
        int index = 0;
        for (Model.Event e : t.events) {
            if (gen != generation) return;
            checkAlarms(d, g);
            if (d.stopRequested) {
                for (int i = index; i < t.events.size(); i++) t.events.get(i).status = "Skipped";
                t.status = "Failed";
                t.lastUpdated = Instant.now();
                return;
            }
            boolean agentEvent = !e.name.equals("BlockTraffic") && !e.name.equals("AllowTraffic");
            // the agent polls for its commands: an event stays Pending until the agent takes it up (checked once per
            // instance and deployment: a bwrap start per event costs more than the events themselves on two cores)
            boolean agentUp = !agentEvent || agentSeen || (agentSeen = waitForAgent(t.instanceId, agentDeadline, d, gen));
            if (gen != generation) return;
            e.status = "InProgress";
            e.start = Instant.now();
            t.lastUpdated = e.start;
            Outcome o;
            if (!agentUp) {
                // wording users quote from CodeDeploy when the agent never picks the event up
                o = Outcome.fail("UnknownError", "", "CodeDeploy agent was not able to receive the lifecycle event. Check the "
                        + "CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.", "");
            } else {
                o = switch (e.name) {
                    case "BlockTraffic" -> blockTraffic(g, t.instanceId);
                    case "AllowTraffic" -> allowTraffic(g, t.instanceId);
                    case "DownloadBundle" -> downloadBundle(d, t.instanceId, root);
                    case "Install" -> install(t.instanceId, root);
                    default -> hook(d, t.instanceId, e.name, root);
                };
            }
            e.end = Instant.now();
            e.diagnostics = o.diagnostics;
            e.status = o.ok ? "Succeeded" : "Failed";
            t.lastUpdated = e.end;
            index++;
            // ignoreApplicationStopFailures: "if an ApplicationStop, BeforeBlockTraffic, or AfterBlockTraffic deployment
            // lifecycle event to an instance fails, then the deployment continues to the next deployment lifecycle event"
            // (CloudFormation, AWS::CodeDeploy::DeploymentGroup Deployment; CreateDeployment API reference)
            if (!o.ok && d.ignoreApplicationStopFailures && FROM_LAST_SUCCESSFUL.contains(e.name)) continue;
            if (!o.ok) {
                for (int i = index; i < t.events.size(); i++) t.events.get(i).status = "Skipped";
                t.status = "Failed";
                return;
            }
        }
        lastSuccessfulRoot.computeIfAbsent(t.instanceId, k -> new ConcurrentHashMap<>()).put(d.groupId, root);
        t.status = "Succeeded";
        t.lastUpdated = Instant.now();
    }

    record Outcome(boolean ok, ObjectNode diagnostics) {
        static Outcome success(String log) {
            return new Outcome(true, CodeDeployService.JSON.createObjectNode().put("errorCode", "Success").put("scriptName", "")
                    .put("message", "Succeeded").put("logTail", log));
        }

        static Outcome fail(String code, String script, String message, String log) {
            return new Outcome(false, CodeDeployService.JSON.createObjectNode().put("errorCode", code).put("scriptName", script)
                    .put("message", message).put("logTail", log));
        }
    }

    /** The agent is running when its unit is active on the instance ({@code systemctl is-active codedeploy-agent}). */
    boolean agentRunning(String instanceId) throws IOException, InterruptedException {
        Optional<Integer> rc = instances.runCommand(instanceId, "systemctl is-active -q codedeploy-agent", l -> {}, 60);
        return rc.isPresent() && rc.get() == 0;
    }

    private boolean waitForAgent(String instanceId, Instant deadline, Model.Deployment d, long gen) throws IOException, InterruptedException {
        while (true) {
            if (agentRunning(instanceId)) return true;
            if (Instant.now().isAfter(deadline) || gen != generation || d.stopRequested) return false;
            clock.sleep(Duration.ofSeconds(60));
        }
    }

    private Outcome downloadBundle(Model.Deployment d, String instanceId, String root) throws IOException {
        Path bundle;
        try {
            bundle = bundle(d);
        } catch (Exception e) {
            return Outcome.fail("UnknownError", "", "The revision could not be downloaded from S3: " + e.getMessage(), "");
        }
        Path disk = instances.disk(instanceId).orElseThrow(() -> new IOException(instanceId + " is not modelled"));
        Path archive = disk.resolve(root.substring(1)).resolve("deployment-archive");
        LocalInstanceFiles.delete(archive);
        Bundles.copyTree(bundle, archive);
        if (!Files.isRegularFile(archive.resolve("appspec.yml"))) {
            // the agent's wording, as users quote it
            return Outcome.fail("UnknownError", "", "The CodeDeploy agent did not find an AppSpec file within the unpacked revision "
                    + "directory at revision-relative path \"appspec.yml\". The revision was unpacked to directory \""
                    + root + "/deployment-archive\", and the AppSpec file was expected but not found at path \""
                    + root + "/deployment-archive/appspec.yml\".", "");
        }
        try {
            AppSpec.parse(Files.readString(archive.resolve("appspec.yml")));
        } catch (AppSpec.Invalid e) {
            return Outcome.fail("UnknownError", "", e.getMessage(), "");
        }
        return Outcome.success("");
    }

    private Path bundle(Model.Deployment d) throws IOException {
        Path p = bundles.get(d.id);
        if (p != null) return p;
        synchronized (bundles) {
            p = bundles.get(d.id);
            if (p != null) return p;
            JsonNode s3loc = d.revision.path("s3Location");
            String version = s3loc.path("version").asText("");
            byte[] zip = s3.getObjectAsBytes(b -> {
                b.bucket(s3loc.path("bucket").asText()).key(s3loc.path("key").asText());
                if (!version.isEmpty()) b.versionId(version);
            }).asByteArray();
            p = work.resolve(d.id);
            Bundles.unzip(zip, p);
            bundles.put(d.id, p);
            return p;
        }
    }

    private AppSpec appspec(Path disk, String root) throws IOException, AppSpec.Invalid {
        return AppSpec.parse(Files.readString(disk.resolve(root.substring(1)).resolve("deployment-archive/appspec.yml")));
    }

    private Outcome install(String instanceId, String root) throws IOException, InterruptedException {
        Path disk = instances.disk(instanceId).orElseThrow();
        AppSpec spec;
        try {
            spec = appspec(disk, root);
        } catch (AppSpec.Invalid e) {
            return Outcome.fail("UnknownError", "", e.getMessage(), "");
        }
        StringBuilder cmd = new StringBuilder("set -e\n");
        for (AppSpec.FileMapping f : spec.files()) {
            String rel = f.source().replaceAll("^/+", "");
            Path src = disk.resolve(root.substring(1)).resolve("deployment-archive").resolve(rel);
            String from = root + "/deployment-archive" + (rel.isEmpty() ? "" : "/" + rel);
            if (!Files.exists(src)) {
                return Outcome.fail("UnknownError", "", "The specified file does not exist in the revision: " + f.source(), "");
            }
            cmd.append("mkdir -p ").append(Bundles.quote(f.destination())).append('\n');
            // a directory's contents go under the destination; a file goes into it (AppSpec 'files' section)
            cmd.append("cp -a ").append(Bundles.quote(Files.isDirectory(src) ? from + "/." : from)).append(' ')
                    .append(Bundles.quote(f.destination() + "/")).append('\n');
        }
        StringBuilder out = new StringBuilder();
        Optional<Integer> rc = instances.runCommand(instanceId, cmd.toString(), l -> out.append(l).append('\n'), 600);
        if (rc.isEmpty()) return Outcome.fail("UnknownError", "", "The instance is not running", "");
        if (rc.get() != 0) return Outcome.fail("UnknownError", "", "Copying the revision's files failed: " + tail(out.toString()), "");
        return Outcome.success("");
    }

    /** A lifecycle event's hook scripts, one after the other, as {@code hook_executor.rb} runs them. */
    private Outcome hook(Model.Deployment d, String instanceId, String event, String root) throws IOException, InterruptedException {
        String dir = root;
        if (FROM_LAST_SUCCESSFUL.contains(event)) {
            dir = lastSuccessfulRoot.getOrDefault(instanceId, Map.of()).get(d.groupId);
            if (dir == null) return Outcome.success(""); // nothing deployed here before: nothing to stop
        }
        Path disk = instances.disk(instanceId).orElseThrow();
        AppSpec spec;
        try {
            spec = appspec(disk, dir);
        } catch (AppSpec.Invalid | java.nio.file.NoSuchFileException e) {
            return Outcome.fail("UnknownError", "", e.getMessage(), "");
        }
        List<AppSpec.Script> scripts = spec.scripts(event);
        if (scripts.isEmpty()) return Outcome.success("");
        ScriptLog log = new ScriptLog();
        Path logs = disk.resolve(dir.substring(1)).resolve("logs");
        Files.createDirectories(logs);
        log.append("LifecycleEvent - " + event + "\n");
        for (AppSpec.Script s : scripts) {
            String location = s.location().replaceAll("^/+", "");
            Path script = disk.resolve(dir.substring(1)).resolve("deployment-archive").resolve(location);
            if (!Files.isRegularFile(script)) {
                return Outcome.fail("ScriptMissing", s.location(), "Script does not exist at specified location: " + s.location(), log.tail());
            }
            script.toFile().setExecutable(true, false); // the agent chmods +x a script that is not executable
            log.append("Script - " + s.location() + "\n");
            String path = dir + "/deployment-archive/" + location;
            String command = "export LIFECYCLE_EVENT=" + Bundles.quote(event) + " DEPLOYMENT_ID=" + Bundles.quote(d.id)
                    + " APPLICATION_NAME=" + Bundles.quote(d.application) + " DEPLOYMENT_GROUP_NAME=" + Bundles.quote(d.groupName)
                    + " DEPLOYMENT_GROUP_ID=" + Bundles.quote(d.groupId) + "\n"
                    + Bundles.quote(path) + " > " + dir + "/logs/.stdout 2> " + dir + "/logs/.stderr";
            long t0 = System.nanoTime();
            Optional<Integer> rc = instances.runCommand(instanceId, command, l -> {}, s.timeout());
            for (String l : lines(logs.resolve(".stdout"))) log.append("[stdout]" + l + "\n");
            for (String l : lines(logs.resolve(".stderr"))) log.append("[stderr]" + l + "\n");
            Files.writeString(logs.resolve("scripts.log"), log.all(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            log.flushed();
            if (rc.isEmpty()) return Outcome.fail("UnknownError", s.location(), "The instance stopped while the script ran", log.tail());
            boolean timedOut = rc.get() == 124 && System.nanoTime() - t0 >= Duration.ofSeconds(s.timeout()).toNanos();
            if (timedOut) {
                return Outcome.fail("ScriptTimedOut", s.location(), "Script at specified location: " + s.location()
                        + " failed to complete in " + s.timeout() + " seconds", log.tail());
            }
            if (rc.get() != 0) {
                String message = s.runas() == null
                        ? "Script at specified location: " + s.location() + " failed with exit code " + rc.get()
                        : "Script at specified location: " + s.location() + " run as user " + s.runas() + " failed with exit code " + rc.get();
                return Outcome.fail("ScriptFailed", s.location(), message, log.tail());
            }
        }
        return Outcome.success(log.tail());
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8) : List.of();
    }

    private static String tail(String s) {
        return s.length() <= LOG_TAIL ? s : s.substring(s.length() - LOG_TAIL);
    }

    /** The agent's ScriptLog: whole entries, the newest that fit in 2048 characters. */
    static final class ScriptLog {
        private final Deque<String> entries = new ArrayDeque<>();
        private final StringBuilder unflushed = new StringBuilder();
        private int size;

        void append(String entry) {
            entries.addLast(entry);
            unflushed.append(Instant.now()).append(' ').append(entry);
            size += entry.length();
            while (size > LOG_TAIL && !entries.isEmpty()) size -= entries.removeFirst().length();
        }

        String tail() { return String.join("", entries); }

        String all() { return unflushed.toString(); }

        void flushed() { unflushed.setLength(0); }
    }

    // ---- traffic control

    private List<String> targetGroupArns(Model.Group g) {
        List<String> names = g.targetGroupNames();
        if (names.isEmpty()) return List.of();
        return elb.describeTargetGroups(b -> b.names(names)).targetGroups().stream()
                .map(software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup::targetGroupArn).toList();
    }

    private final Map<String, Integer> deregisteredPorts = new ConcurrentHashMap<>();

    /** BlockTraffic: the instance leaves every target group of the group, and stays out for the deregistration delay. */
    private Outcome blockTraffic(Model.Group g, String instanceId) throws InterruptedException {
        Duration longest = Duration.ZERO;
        try {
            for (String tg : targetGroupArns(g)) {
                List<TargetHealthDescription> registered = elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions()
                        .stream().filter(h -> h.target().id().equals(instanceId)).toList();
                for (TargetHealthDescription h : registered) {
                    deregisteredPorts.put(tg + "|" + instanceId, h.target().port());
                    elb.deregisterTargets(b -> b.targetGroupArn(tg).targets(TargetDescription.builder().id(instanceId).port(h.target().port()).build()));
                }
                Duration delay = elb.describeTargetGroupAttributes(b -> b.targetGroupArn(tg)).attributes().stream()
                        .filter(a -> a.key().equals("deregistration_delay.timeout_seconds")).findFirst()
                        .map(a -> Duration.ofSeconds(Long.parseLong(a.value()))).orElse(TARGET_DEFAULT_DELAY);
                if (!registered.isEmpty() && delay.compareTo(longest) > 0) longest = delay;
            }
        } catch (RuntimeException e) {
            return Outcome.fail("UnknownError", "", "The instance could not be deregistered from its target groups: " + e.getMessage(), "");
        }
        // the local load balancer drops a deregistered target at once; CodeDeploy waits until draining is over
        clock.sleep(longest);
        return new Outcome(true, null);
    }

    /** AllowTraffic: the instance is registered again and waited for until its targets are healthy. */
    private Outcome allowTraffic(Model.Group g, String instanceId) throws InterruptedException {
        Instant deadline = Instant.now().plus(max(clock.local(Duration.ofMinutes(10)), Duration.ofSeconds(60)));
        try {
            List<String> tgs = targetGroupArns(g);
            for (String tg : tgs) {
                Integer port = deregisteredPorts.remove(tg + "|" + instanceId);
                TargetDescription target = port == null ? TargetDescription.builder().id(instanceId).build()
                        : TargetDescription.builder().id(instanceId).port(port).build();
                elb.registerTargets(b -> b.targetGroupArn(tg).targets(target));
            }
            for (String tg : tgs) {
                while (true) {
                    List<TargetHealthDescription> h = elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions()
                            .stream().filter(x -> x.target().id().equals(instanceId)).toList();
                    if (!h.isEmpty() && h.stream().allMatch(x -> "healthy".equals(x.targetHealth().stateAsString()))) break;
                    if (Instant.now().isAfter(deadline)) {
                        String state = h.isEmpty() ? "not registered" : h.getFirst().targetHealth().stateAsString()
                                + " (" + h.getFirst().targetHealth().reasonAsString() + ")";
                        return Outcome.fail("UnknownError", "", "The instance " + instanceId + " did not become healthy in target group "
                                + tg + ": " + state, "");
                    }
                    Thread.sleep(100);
                }
            }
        } catch (RuntimeException e) {
            return Outcome.fail("UnknownError", "", "The instance could not be registered with its target groups: " + e.getMessage(), "");
        }
        return new Outcome(true, null);
    }

    private static Duration max(Duration a, Duration b) { return a.compareTo(b) >= 0 ? a : b; }

    // ---- Auto Scaling launches

    private void scanLoop() {
        while (!closed) {
            try {
                Thread.sleep(300);
                CodeDeployService s = service;
                if (s == null) continue;
                for (Model.Group g : List.copyOf(s.groups.values())) {
                    if (g.autoScalingGroups().isEmpty()) continue;
                    List<String> launched = targets(g).stream().filter(i -> !g.seenInstances.contains(i)).toList();
                    if (launched.isEmpty()) continue;
                    Model.Deployment good = g.lastSuccessfulDeploymentId == null ? null : s.deployments.get(g.lastSuccessfulDeploymentId);
                    if (good == null) {
                        g.seenInstances.addAll(launched); // nothing deployed yet: nothing to give the new instance
                        continue;
                    }
                    try {
                        s.start(g, good.revision, good.configName, "autoscaling", null, launched, null);
                    } catch (CodeDeployService.Refused e) {
                        // a deployment is under way in the group: the launch is deployed to once it has ended
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "CodeDeploy launch scan", e);
            }
        }
    }

    void reset() {
        generation++;
        lastSuccessfulRoot.clear();
        deregisteredPorts.clear();
        bundles.clear();
    }

    void close() {
        closed = true;
        scanner.interrupt();
        reset();
        for (AutoCloseable c : List.<AutoCloseable>of(s3, autoscaling, ec2, cloudwatch, elb)) {
            try {
                c.close();
            } catch (Exception e) {
                // closing
            }
        }
        try {
            LocalInstanceFiles.delete(work);
        } catch (IOException e) {
            // temporary files
        }
    }

    /** Deleting a directory tree. */
    static final class LocalInstanceFiles {
        static void delete(Path p) throws IOException {
            if (!Files.exists(p)) return;
            try (var walk = Files.walk(p)) {
                for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
            }
        }
    }
}
