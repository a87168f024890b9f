package dev.pipeline.local.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.ControlApi;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which AMIs the local cloud treats as broken: instances of a marked image fail their target health checks
 * (DescribeTargetHealth says unhealthy) and fail an instance refresh. moto has no health model at all: every
 * running instance is healthy. An image is marked by its ID, or through the WAR baked into it: an image tagged
 * {@code pipeline:artifact-sha256} with a marked sha256 (what the deploy's bake tags a release AMI with), so a test or
 * the demo can say "this upload is broken" before its AMI exists. Marking twice is the same as once. Cleared on reset.
 *
 * <pre>
 * GET    /_local/health   {"unhealthyImageIds": [...], "unhealthyArtifacts": [...]}
 * POST   /_local/health   {"unhealthyImageIds": ["ami-..."], "unhealthyArtifacts": ["&lt;sha256&gt;"]}
 *                         replaces the whole model; a list left out is empty
 * DELETE /_local/health   clears it
 * </pre>
 */
public final class HealthModel {
    /** The tag the deploy's bake puts on a release AMI: the sha256 of the WAR it runs. */
    public static final String ARTIFACT_TAG = "pipeline:artifact-sha256";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Set<String> unhealthyImages = ConcurrentHashMap.newKeySet();
    private final Set<String> unhealthyArtifacts = ConcurrentHashMap.newKeySet();
    private final Function<String, Optional<String>> artifactOfImage;

    /** @param artifactOfImage the {@value #ARTIFACT_TAG} tag of an image, empty when it has none or is unknown */
    HealthModel(Function<String, Optional<String>> artifactOfImage) {
        this.artifactOfImage = artifactOfImage;
    }

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

    /** From now on, instances of any image tagged with this WAR's sha256 fail health checks (existing ones too). */
    public void markArtifactUnhealthy(String sha256) { unhealthyArtifacts.add(sha256(sha256)); }

    public void markArtifactHealthy(String sha256) { unhealthyArtifacts.remove(sha256(sha256)); }

    /**
     * True when the image is marked, or carries a marked artifact's sha256. The tag is read from EC2 at each check
     * (only while some artifact is marked), so an image tagged after it was marked counts too.
     */
    public boolean isUnhealthy(String imageId) {
        if (imageId == null) return false;
        if (unhealthyImages.contains(imageId)) return true;
        return !unhealthyArtifacts.isEmpty() && artifactOfImage.apply(imageId).map(unhealthyArtifacts::contains).orElse(false);
    }

    public Set<String> unhealthyImageIds() { return Set.copyOf(unhealthyImages); }

    public Set<String> unhealthyArtifacts() { return Set.copyOf(unhealthyArtifacts); }

    public void clear() {
        unhealthyImages.clear();
        unhealthyArtifacts.clear();
    }

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
                String usage = "expected {\"unhealthyImageIds\": [\"ami-...\"], \"unhealthyArtifacts\": [\"<sha256>\"]}"
                        + " (either list may be left out)";
                if (!body.isObject() || body.isEmpty()) throw new IllegalArgumentException(usage);
                body.fieldNames().forEachRemaining(f -> {
                    if (!f.equals("unhealthyImageIds") && !f.equals("unhealthyArtifacts")) {
                        throw new IllegalArgumentException("unknown field " + f + "; " + usage);
                    }
                });
                Set<String> images = strings(body.get("unhealthyImageIds"), "image IDs", usage);
                Set<String> artifacts = new TreeSet<>();
                for (String a : strings(body.get("unhealthyArtifacts"), "artifact sha256s", usage)) artifacts.add(sha256(a));
                synchronized (this) {
                    unhealthyImages.clear();
                    unhealthyImages.addAll(images);
                    unhealthyArtifacts.clear();
                    unhealthyArtifacts.addAll(artifacts);
                }
                return ControlApi.ok(view());
            }
            default -> throw new UnsupportedOperationException("use GET, POST or DELETE on /_local/health");
        }
    }

    private static Set<String> strings(JsonNode list, String what, String usage) {
        Set<String> out = new TreeSet<>();
        if (list == null) return out;
        if (!list.isArray()) throw new IllegalArgumentException(usage);
        for (JsonNode v : list) {
            if (!v.isTextual() || v.asText().isBlank()) throw new IllegalArgumentException(what + " are non-empty strings: " + v);
            out.add(v.asText());
        }
        return out;
    }

    /** A WAR's sha256 as the bake tags it: 64 lowercase hex digits (upper case is accepted and lowered). */
    private static String sha256(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!SHA256.matcher(v).matches()) throw new IllegalArgumentException("an artifact sha256 is 64 hex digits: " + value);
        return v;
    }

    private ObjectNode view() {
        ObjectNode n = ControlApi.JSON.createObjectNode();
        ArrayNode a = n.putArray("unhealthyImageIds");
        new TreeSet<>(unhealthyImages).forEach(a::add);
        ArrayNode b = n.putArray("unhealthyArtifacts");
        new TreeSet<>(unhealthyArtifacts).forEach(b::add);
        return n;
    }
}
