package dev.pipeline.local.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.ControlApi;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which AMIs the local cloud treats as broken: instances of a marked image fail their target health checks
 * (DescribeTargetHealth says unhealthy) and fail an instance refresh. moto has no health model at all: every
 * running instance is healthy. Keyed by image ID; marking twice is the same as once. Cleared on reset.
 *
 * <pre>
 * GET    /_local/health   {"unhealthyImageIds": [...]}
 * POST   /_local/health   {"unhealthyImageIds": ["ami-..."]}   replaces the set
 * DELETE /_local/health   clears it
 * </pre>
 */
public final class HealthModel {
    private final Set<String> unhealthyImages = ConcurrentHashMap.newKeySet();

    /** The health model of a running local cloud. */
    public static HealthModel of(LocalCloud cloud) {
        for (Interceptor i : cloud.gateway().interceptors()) {
            if (i instanceof InstanceRefreshInterceptor r) return r.health();
        }
        throw new IllegalStateException("the instance refresh interceptor is not installed in this local cloud");
    }

    /** From now on, instances of {@code imageId} fail health checks (existing ones too). */
    public void markUnhealthy(String imageId) { unhealthyImages.add(imageId); }

    public void markHealthy(String imageId) { unhealthyImages.remove(imageId); }

    public boolean isUnhealthy(String imageId) { return imageId != null && unhealthyImages.contains(imageId); }

    public Set<String> unhealthyImageIds() { return Set.copyOf(unhealthyImages); }

    public void clear() { unhealthyImages.clear(); }

    /** The {@code /_local/health} control route. */
    public GatewayResponse route(AwsRequest r) throws Exception {
        switch (r.method()) {
            case "GET" -> { return ControlApi.ok(view()); }
            case "DELETE" -> {
                clear();
                return ControlApi.ok(view());
            }
            case "POST" -> {
                JsonNode body = r.json();
                JsonNode ids = body.get("unhealthyImageIds");
                if (!body.isObject() || ids == null || !ids.isArray() || body.size() != 1) {
                    throw new IllegalArgumentException("expected {\"unhealthyImageIds\": [\"ami-...\"]}");
                }
                Set<String> next = new TreeSet<>();
                for (JsonNode id : ids) {
                    if (!id.isTextual() || id.asText().isBlank()) throw new IllegalArgumentException("image IDs are non-empty strings: " + id);
                    next.add(id.asText());
                }
                synchronized (this) {
                    unhealthyImages.clear();
                    unhealthyImages.addAll(next);
                }
                return ControlApi.ok(view());
            }
            default -> throw new UnsupportedOperationException("use GET, POST or DELETE on /_local/health");
        }
    }

    private ObjectNode view() {
        ObjectNode n = ControlApi.JSON.createObjectNode();
        ArrayNode a = n.putArray("unhealthyImageIds");
        new TreeSet<>(unhealthyImages).forEach(a::add);
        return n;
    }
}
