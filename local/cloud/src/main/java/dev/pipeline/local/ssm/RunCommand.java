package dev.pipeline.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.clock.LocalClock;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.instances.InstanceModel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Run Command runs for real: moto records an {@code AWS-RunShellScript} command and answers every invocation with
 * Success at once without running anything (LOCAL-CLOUD.md), so a bake whose WAR never starts would pass. Here the
 * command's {@code commands} run with {@code sh} on each target instance of the instance model, as the SSM agent runs
 * them, within the document's {@code executionTimeout} (default 3600 s), and {@code GetCommandInvocation} answers
 * as AWS does (API reference, GetCommandInvocation): {@code Pending}, then {@code InProgress} with
 * {@code ResponseCode} -1 and empty output until the script ends, then {@code Success} / {@code Failed} /
 * {@code TimedOut} ({@code StatusDetails} "Execution Timed Out") with the exit code, the first 24,000 characters of
 * stdout and the first 8,000 of stderr. An instance that is not up when the command arrives gets {@code Failed}
 * with {@code StatusDetails} "Undeliverable". Which instances may receive a command at all is
 * {@link ManagedInstanceRule}'s part. Other documents pass to moto unchanged.
 */
public final class RunCommand implements Interceptor {
    private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());
    public static final String DOCUMENT = "AWS-RunShellScript";
    static final int STDOUT_LIMIT = 24_000;
    static final int STDERR_LIMIT = 8_000;
    private static final long DEFAULT_EXECUTION_TIMEOUT = 3600;
    /** From SendCommand to the agent starting the script: AWS takes a second or two. */
    private static final Duration DELIVERY = Duration.ofSeconds(2);

    private final InstanceModel instances;
    private final LocalClock clock;
    private final Map<String, Invocation> invocations = new ConcurrentHashMap<>();
    private volatile long generation;

    public RunCommand(InstanceModel instances, LocalClock clock) {
        this.instances = instances;
        this.clock = clock;
    }

    private static final class Invocation {
        final String commandId;
        final String instanceId;
        final String comment;
        volatile String status = "Pending";
        volatile String details = "Pending";
        volatile int responseCode = -1;
        volatile Instant started;
        volatile Instant ended;
        volatile String stdout = "";
        volatile String stderr = "";

        Invocation(String commandId, String instanceId, String comment) {
            this.commandId = commandId;
            this.instanceId = instanceId;
            this.comment = comment;
        }
    }

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"ssm".equals(request.service())) return null;
        return switch (request.operation()) {
            case "SendCommand" -> send(request, moto);
            case "GetCommandInvocation" -> invocation(request);
            default -> null;
        };
    }

    private GatewayResponse send(AwsRequest request, MotoForwarder moto) throws Exception {
        JsonNode body = request.json();
        if (!DOCUMENT.equals(body.path("DocumentName").asText())) return null;
        GatewayResponse r = moto.forward(request);
        if (!r.ok()) return r;
        JsonNode command = ControlJson.read(r.bodyText()).path("Command");
        String commandId = command.path("CommandId").asText();
        List<String> lines = new ArrayList<>();
        body.path("Parameters").path("commands").forEach(l -> lines.add(l.asText()));
        long timeout = DEFAULT_EXECUTION_TIMEOUT;
        JsonNode t = body.path("Parameters").path("executionTimeout").path(0);
        if (t.isTextual()) {
            try {
                timeout = Long.parseLong(t.asText());
            } catch (NumberFormatException e) {
                // SSM validates the document's parameters; keep the default for a value it would refuse
            }
        }
        long seconds = timeout;
        long gen = generation;
        for (JsonNode id : body.path("InstanceIds")) {
            Invocation inv = new Invocation(commandId, id.asText(), body.path("Comment").asText(""));
            invocations.put(key(commandId, inv.instanceId), inv);
            Thread.ofVirtual().name("run-command-" + commandId + "-" + inv.instanceId).start(() -> run(inv, lines, seconds, gen));
        }
        // moto reports the command as finished at once: say what AWS says of a command just sent
        ObjectNode answer = (ObjectNode) ControlJson.read(r.bodyText());
        ((ObjectNode) answer.path("Command")).put("Status", "Pending").put("StatusDetails", "Pending");
        return GatewayResponse.json(200, answer.toString());
    }

    private void run(Invocation inv, List<String> lines, long timeoutSeconds, long gen) {
        try {
            clock.sleep(DELIVERY);
            if (gen != generation) return;
            inv.started = Instant.now();
            inv.status = "InProgress";
            inv.details = "InProgress";
            Optional<InstanceModel.ScriptResult> result = instances.runScript(inv.instanceId, inv.commandId, lines, timeoutSeconds);
            if (gen != generation) return;
            inv.ended = Instant.now();
            if (result.isEmpty()) {
                inv.status = "Failed";
                inv.details = "Undeliverable";
                return;
            }
            InstanceModel.ScriptResult s = result.get();
            inv.stdout = first(s.stdout(), STDOUT_LIMIT);
            inv.stderr = first(s.stderr(), STDERR_LIMIT);
            inv.responseCode = s.exitCode();
            if (s.timedOut()) {
                inv.status = "TimedOut";
                inv.details = "Execution Timed Out";
            } else if (s.exitCode() == 0) {
                inv.status = "Success";
                inv.details = "Success";
            } else {
                inv.status = "Failed";
                inv.details = "Failed";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (gen != generation) return;
            LOG.log(Level.WARNING, "Run Command " + inv.commandId + " on " + inv.instanceId + " failed in the local cloud", e);
            inv.ended = Instant.now();
            inv.status = "Failed";
            inv.details = "Failed";
            inv.stderr = first("local cloud: " + e, STDERR_LIMIT);
        }
    }

    private GatewayResponse invocation(AwsRequest request) throws Exception {
        JsonNode body = request.json();
        Invocation inv = invocations.get(key(body.path("CommandId").asText(), body.path("InstanceId").asText()));
        if (inv == null) return null;
        boolean finished = inv.ended != null;
        ObjectNode o = ControlJson.object()
                .put("CommandId", inv.commandId)
                .put("InstanceId", inv.instanceId)
                .put("Comment", inv.comment)
                .put("DocumentName", DOCUMENT)
                .put("DocumentVersion", "1")
                .put("PluginName", "aws:runShellScript")
                .put("ResponseCode", inv.responseCode)
                .put("ExecutionStartDateTime", inv.started == null ? "" : inv.started.toString())
                .put("ExecutionElapsedTime", inv.started == null ? "" : Duration.between(inv.started,
                        finished ? inv.ended : Instant.now()).toString())
                .put("ExecutionEndDateTime", finished ? inv.ended.toString() : "")
                .put("Status", inv.status)
                .put("StatusDetails", inv.details)
                .put("StandardOutputContent", finished ? inv.stdout : "")
                .put("StandardOutputUrl", "")
                .put("StandardErrorContent", finished ? inv.stderr : "")
                .put("StandardErrorUrl", "");
        o.putObject("CloudWatchOutputConfig").put("CloudWatchLogGroupName", "").put("CloudWatchOutputEnabled", false);
        return GatewayResponse.json(200, o.toString());
    }

    private static String key(String commandId, String instanceId) {
        return commandId + "/" + instanceId;
    }

    private static String first(String s, int limit) {
        return s.length() <= limit ? s : s.substring(0, limit);
    }

    @Override
    public void reset() {
        generation++;
        invocations.clear();
    }

    /** Jackson for the SSM JSON protocol. */
    private static final class ControlJson {
        private static final com.fasterxml.jackson.databind.ObjectMapper M = new com.fasterxml.jackson.databind.ObjectMapper();

        static JsonNode read(String s) throws java.io.IOException { return M.readTree(s); }

        static ObjectNode object() { return M.createObjectNode(); }
    }
}
