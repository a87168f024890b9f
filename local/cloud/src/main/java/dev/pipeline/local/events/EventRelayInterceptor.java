package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.lambda.LocalLambdaRuntime;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * EventBridge rules whose target is a state machine or a Lambda function really start executions and invoke
 * functions. moto 5.2.1 cannot deliver to Step Functions or Lambda (NotImplementedError, which also breaks later
 * rules and PutEvents), but it delivers to SQS: so each such target is given to moto as a relay queue, and
 * {@link RelayWorker} turns the queue's messages into StartExecution calls or asynchronous invocations in the
 * local Lambda runtime. Users see their state machine or function ARN in ListTargetsByRule, never the queue.
 * Idempotency key: the target (bus, rule, target id) names its relay queue, so PutTargets can be repeated.
 */
public final class EventRelayInterceptor implements Interceptor, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventRelayInterceptor.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_11 = "application/x-amz-json-1.1";
    /** S3 writes that make moto emit "Object Created" events. */
    private static final Set<String> S3_WRITES = Set.of("PutObject", "CopyObject", "CompleteMultipartUpload");
    /** Seconds a received message stays hidden: how soon a failed StartExecution is tried again. */
    private static final String VISIBILITY_TIMEOUT = "2";
    /** How long a write waits for the functions its events invoked; a slower one finishes in the background. */
    static final Duration INVOCATIONS_SETTLE = Duration.ofSeconds(10);

    private final RelayRegistry registry = new RelayRegistry();
    private final MotoClients moto;
    private final FunctionDelivery functions;
    private final RelayWorker worker;

    /** @param lambda the runtime that serves Lambda Invoke: Lambda targets are invoked there */
    public EventRelayInterceptor(URI motoEndpoint, LocalLambdaRuntime lambda) {
        this.moto = MotoClients.create(motoEndpoint);
        this.functions = new FunctionDelivery(lambda);
        this.worker = new RelayWorker(registry, moto, functions);
    }

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder forwarder) throws Exception {
        if ("s3".equals(request.service()) && S3_WRITES.contains(request.operation())) {
            return registry.isEmpty() ? null : forwardThenDrain(request, forwarder);
        }
        if (!"events".equals(request.service()) || request.header("X-Amz-Target") == null) return null;
        try {
            request.json();
        } catch (java.io.IOException e) {
            return null; // moto answers the malformed request
        }
        return switch (request.operation()) {
            case "PutTargets" -> putTargets(request, forwarder);
            case "RemoveTargets" -> removeTargets(request, forwarder);
            case "ListTargetsByRule" -> listTargetsByRule(request, forwarder);
            case "ListRuleNamesByTarget" -> listRuleNamesByTarget(request);
            case "DeleteRule" -> deleteRule(request, forwarder);
            case "DeleteEventBus" -> deleteEventBus(request, forwarder);
            case "PutEvents" -> registry.isEmpty() ? null : forwardThenDrain(request, forwarder);
            default -> null;
        };
    }

    /** Forgets all relays (moto's reset has deleted their queues) and the deliveries seen, and stops the poll. */
    @Override
    public void reset() {
        worker.stop();
        registry.clear();
        functions.forget();
    }

    @Override
    public void close() {
        reset();
        moto.close();
    }

    /**
     * moto puts the events of a write on the relay queues before it answers, so draining before answering
     * starts the executions before the writer hears back: as soon as AWS would, and no test has to wait for a poll.
     * Functions the events invoked run in the background, as asynchronous invocations do; the answer also waits
     * (bounded) until they are done, so what a function did is there when the writer hears back. Functions
     * invoked before this write are not waited for: the writer may be one of them.
     */
    private GatewayResponse forwardThenDrain(AwsRequest request, MotoForwarder forwarder) throws Exception {
        long invokedBefore = functions.mark();
        GatewayResponse r = forwarder.forward(request);
        if (r.ok()) {
            worker.drainAll();
            functions.awaitAcceptedAfter(invokedBefore, INVOCATIONS_SETTLE);
        }
        return r;
    }

    private GatewayResponse putTargets(AwsRequest request, MotoForwarder forwarder) throws Exception {
        JsonNode body = request.json();
        if (!body.path("Targets").isArray()) return null; // moto answers the validation error
        String bus = busName(body);
        String rule = body.path("Rule").asText();
        ArrayNode forwardedTargets = JSON.createArrayNode();
        Map<String, Relay> prepared = new LinkedHashMap<>();
        List<String> otherIds = new ArrayList<>();
        try {
            for (JsonNode t : body.path("Targets")) {
                if (!t.isObject() || !Relay.isRelayed(t.path("Arn").asText(null))) {
                    forwardedTargets.add(t);
                    otherIds.add(t.path("Id").asText());
                    continue;
                }
                TargetInput input = TargetInput.of(t);
                Relay relay = relayFor(new Relay.Key(bus, rule, t.path("Id").asText()), (ObjectNode) t.deepCopy(), input);
                prepared.put(relay.key().targetId(), relay);
                ObjectNode asQueue = ((ObjectNode) t).deepCopy();
                asQueue.put("Arn", relay.queueArn());
                // moto would ignore these on an SQS target anyway; the relay applies them to the fixed-up event
                asQueue.remove(List.of("Input", "InputPath", "InputTransformer"));
                forwardedTargets.add(asQueue);
            }
        } catch (IllegalArgumentException e) {
            deleteQueuesNotInUse(prepared.values());
            return AwsErrors.error(request, 400, "ValidationException", e.getMessage());
        }
        if (prepared.isEmpty() && otherIds.stream().noneMatch(id -> registry.get(new Relay.Key(bus, rule, id)).isPresent())) {
            return null; // nothing here concerns a state machine or function
        }
        ObjectNode forwarded = ((ObjectNode) body).deepCopy();
        forwarded.set("Targets", forwardedTargets);
        GatewayResponse r = forwarder.forward(request.withBody(JSON.writeValueAsBytes(forwarded)));
        if (!r.ok()) {
            deleteQueuesNotInUse(prepared.values());
            return r;
        }
        Set<String> failed = failedTargetIds(r);
        for (Relay relay : prepared.values()) {
            if (failed.contains(relay.key().targetId())) deleteQueuesNotInUse(List.of(relay));
            else registry.put(relay);
        }
        for (String id : otherIds) {
            // a target id that was relayed and now names something moto delivers to: its relay goes
            if (!failed.contains(id)) registry.remove(new Relay.Key(bus, rule, id)).ifPresent(this::deleteQueue);
        }
        worker.ensurePolling();
        return r;
    }

    private GatewayResponse removeTargets(AwsRequest request, MotoForwarder forwarder) throws Exception {
        JsonNode body = request.json();
        String bus = busName(body);
        String rule = body.path("Rule").asText();
        if (registry.ofRule(bus, rule).isEmpty()) return null;
        GatewayResponse r = forwarder.forward(request);
        if (!r.ok()) return r;
        Set<String> failed = failedTargetIds(r);
        for (JsonNode id : body.path("Ids")) {
            if (!failed.contains(id.asText())) registry.remove(new Relay.Key(bus, rule, id.asText())).ifPresent(this::deleteQueue);
        }
        return r;
    }

    private GatewayResponse deleteRule(AwsRequest request, MotoForwarder forwarder) throws Exception {
        JsonNode body = request.json();
        String bus = busName(body);
        List<Relay> relays = registry.ofRule(bus, body.path("Name").asText());
        if (relays.isEmpty()) return null;
        GatewayResponse r = forwarder.forward(request);
        if (r.ok()) forget(relays);
        return r;
    }

    private GatewayResponse deleteEventBus(AwsRequest request, MotoForwarder forwarder) throws Exception {
        List<Relay> relays = registry.ofBus(shortBusName(request.json().path("Name").asText("default")));
        if (relays.isEmpty()) return null;
        GatewayResponse r = forwarder.forward(request);
        if (r.ok()) forget(relays);
        return r;
    }

    /** moto lists the relay queue; the user put a state machine or function there and sees it again, as written. */
    private GatewayResponse listTargetsByRule(AwsRequest request, MotoForwarder forwarder) throws Exception {
        JsonNode body = request.json();
        String bus = busName(body);
        String rule = body.path("Rule").asText();
        if (registry.ofRule(bus, rule).isEmpty()) return null;
        GatewayResponse r = forwarder.forward(request);
        if (!r.ok()) return r;
        JsonNode answer = JSON.readTree(r.body());
        if (!answer.path("Targets").isArray()) return r;
        ArrayNode targets = (ArrayNode) answer.path("Targets");
        for (int i = 0; i < targets.size(); i++) {
            JsonNode t = targets.get(i);
            int index = i;
            registry.get(new Relay.Key(bus, rule, t.path("Id").asText()))
                    .filter(relay -> relay.queueArn().equals(t.path("Arn").asText()))
                    .ifPresent(relay -> targets.set(index, relay.target()));
        }
        return r.withBody(JSON.writeValueAsString(answer));
    }

    /** moto knows only the relay queues as targets, so rules that target a state machine or function are found here. */
    private GatewayResponse listRuleNamesByTarget(AwsRequest request) throws Exception {
        JsonNode body = request.json();
        String arn = body.path("TargetArn").asText(null);
        if (!Relay.isRelayed(arn)) return null;
        String bus = busName(body);
        // Paging (Limit/NextToken) is not applied: one page with every rule; relayed targets are few.
        List<String> names = registry.all().stream()
                .filter(r -> r.key().bus().equals(bus) && r.targetArn().equals(arn))
                .map(r -> r.key().rule()).distinct().sorted().toList();
        ObjectNode answer = JSON.createObjectNode();
        answer.set("RuleNames", JSON.valueToTree(names));
        return GatewayResponse.of(200, JSON_11, JSON.writeValueAsString(answer));
    }

    /** The relay of a target: its existing queue when the target was relayed before, else a new one. */
    private Relay relayFor(Relay.Key key, ObjectNode target, TargetInput input) {
        String queueName = queueName(key);
        String url = moto.sqs().createQueue(b -> b.queueName(queueName)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, VISIBILITY_TIMEOUT))).queueUrl();
        String arn = moto.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new Relay(key, url, arn, target, input);
    }

    /** A queue name per target (the same target always gets the same queue); SQS allows 80 characters. */
    static String queueName(Relay.Key key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((key.bus() + "\n" + key.rule() + "\n" + key.targetId()).getBytes(StandardCharsets.UTF_8));
            return "local-eventbridge-relay-" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void deleteQueuesNotInUse(Iterable<Relay> relays) {
        for (Relay relay : relays) {
            if (registry.get(relay.key()).isEmpty()) deleteQueue(relay);
        }
    }

    private void forget(List<Relay> relays) {
        for (Relay relay : relays) registry.remove(relay.key()).ifPresent(this::deleteQueue);
    }

    private void deleteQueue(Relay relay) {
        try {
            moto.sqs().deleteQueue(b -> b.queueUrl(relay.queueUrl()));
        } catch (SdkException e) {
            LOG.log(Level.FINE, "could not delete relay queue " + relay.queueUrl(), e);
        }
    }

    private static Set<String> failedTargetIds(GatewayResponse r) {
        Set<String> ids = new HashSet<>();
        try {
            for (JsonNode f : JSON.readTree(r.body()).path("FailedEntries")) ids.add(f.path("TargetId").asText());
        } catch (java.io.IOException e) {
            // not JSON: nothing reported as failed
        }
        return ids;
    }

    private static String busName(JsonNode body) {
        return shortBusName(body.path("EventBusName").asText("default"));
    }

    /** EventBusName may be a name or an ARN (arn:aws:events:region:account:event-bus/name). */
    static String shortBusName(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) return "default";
        int slash = nameOrArn.indexOf("event-bus/");
        return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + "event-bus/".length()) : nameOrArn;
    }
}
