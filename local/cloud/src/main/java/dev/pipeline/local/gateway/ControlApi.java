package dev.pipeline.local.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local cloud's own routes under {@code /_local/}: counters, fault rules, reset, and whatever the
 * interceptors register (health model...). Bad requests get an AWS-shaped JSON error, never a stack trace.
 *
 * <pre>
 * GET    /_local/counters          {"ec2:DescribeInstances": 3, ...}
 * DELETE /_local/counters
 * GET    /_local/faults            {"rules": [...]}
 * POST   /_local/faults            one rule, or {"rules": [...], "seed": 42}
 * DELETE /_local/faults
 * POST   /_local/reset             moto and gateway state
 * </pre>
 */
public final class ControlApi {

    /** A control route: the request, answered. Throw IllegalArgumentException for a bad request. */
    @FunctionalInterface
    public interface Route {
        GatewayResponse handle(AwsRequest request) throws Exception;
    }

    public static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            .build();

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final EdgeGateway gateway;

    ControlApi(EdgeGateway gateway) {
        this.gateway = gateway;
        routes.put("/_local/counters", this::counters);
        routes.put("/_local/faults", this::faults);
        routes.put("/_local/reset", r -> {
            requireMethod(r, "POST");
            gateway.reset();
            return ok(JSON.createObjectNode().put("reset", true));
        });
    }

    /** Adds a route at an exact path under /_local/. */
    public void register(String path, Route route) {
        if (!path.startsWith("/_local/")) throw new IllegalArgumentException("control routes live under /_local/: " + path);
        routes.put(path, route);
    }

    GatewayResponse handle(AwsRequest request) {
        String path = request.path().replaceFirst("/+$", "");
        Route route = routes.get(path);
        try {
            if (route == null) {
                return AwsErrors.error(Protocol.NONE, "local", 404, "UnknownOperationException",
                        "no local-cloud route " + request.method() + " " + request.path() + "; routes: " + routes.keySet().stream().sorted().toList());
            }
            return route.handle(request);
        } catch (JsonProcessingException e) {
            return AwsErrors.error(Protocol.NONE, "local", 400, "ValidationException",
                    "malformed JSON for " + path + ": " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return AwsErrors.error(Protocol.NONE, "local", 400, "ValidationException", e.getMessage());
        } catch (UnsupportedOperationException e) {
            return AwsErrors.error(Protocol.NONE, "local", 405, "MethodNotAllowed", e.getMessage());
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return AwsErrors.error(Protocol.NONE, "local", 500, "InternalFailure", path + " failed: " + e);
        }
    }

    private GatewayResponse counters(AwsRequest r) throws JsonProcessingException {
        switch (r.method()) {
            case "GET" -> { return ok(JSON.valueToTree(gateway.counters().snapshot())); }
            case "DELETE" -> { gateway.counters().clear(); return ok(JSON.createObjectNode().put("cleared", true)); }
            default -> throw new UnsupportedOperationException("use GET or DELETE on /_local/counters");
        }
    }

    private GatewayResponse faults(AwsRequest r) throws Exception {
        switch (r.method()) {
            case "GET" -> {
                ObjectNode n = JSON.createObjectNode();
                n.set("rules", JSON.valueToTree(gateway.faults().rules()));
                return ok(n);
            }
            case "DELETE" -> { gateway.faults().clear(); return ok(JSON.createObjectNode().put("cleared", true)); }
            case "POST" -> {
                JsonNode body = r.json();
                if (!body.isObject()) throw new IllegalArgumentException("expected a JSON object: a rule, or {\"rules\": [...]}");
                List<FaultRule> rules;
                if (body.has("rules")) {
                    rules = List.of(JSON.treeToValue(body.get("rules"), FaultRule[].class));
                    if (body.has("seed")) gateway.faults().seed(body.get("seed").asLong());
                } else {
                    rules = List.of(JSON.treeToValue(body, FaultRule.class));
                }
                rules.forEach(gateway.faults()::add);
                ObjectNode n = JSON.createObjectNode();
                n.set("rules", JSON.valueToTree(gateway.faults().rules()));
                return ok(n);
            }
            default -> throw new UnsupportedOperationException("use GET, POST or DELETE on /_local/faults");
        }
    }

    public static void requireMethod(AwsRequest r, String method) {
        if (!method.equals(r.method())) throw new UnsupportedOperationException("use " + method + " on " + r.path());
    }

    public static GatewayResponse ok(JsonNode body) {
        return GatewayResponse.json(200, body.toString());
    }
}
