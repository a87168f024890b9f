package dev.pipeline.provision.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.StageFailedException;

import java.time.Instant;

/**
 * The applied manifest: the ids and names provisioning created, versioned, for the deploy and drift workflows.
 * It lives at {@code s3://<artifact bucket>/pipeline/<env>/manifest.json}. Pure: built from the state alone.
 */
public final class AppliedManifest {
    public static final int VERSION = 1;

    private AppliedManifest() {}

    public static String key(String environment) {
        return "pipeline/" + environment + "/manifest.json";
    }

    public static ObjectNode of(SaveManifestInput in, Instant now) {
        if (in.spec() == null || !in.spec().hasNonNull("name")) throw new StageFailedException("SaveManifest needs the spec in the state");
        ObjectNode m = JsonHandler.JSON.createObjectNode();
        m.put("manifestVersion", VERSION);
        m.put("environment", in.spec().path("name").asText());
        m.put("savedAt", now.toString());
        if (in.run() != null) m.put("execution", in.run().path("token").asText());
        m.set("spec", in.spec());
        put(m, "securityGroups", in.securityGroups());
        put(m, "secrets", in.secrets());
        put(m, "backends", without(in.backends(), "ready"));
        put(m, "dns", in.dns());
        put(m, "loadBalancer", without(in.loadBalancer(), "ready"));
        put(m, "goldenImage", without(in.goldenImage(), "ready"));
        put(m, "launchTemplate", in.launchTemplate());
        put(m, "fleet", without(in.fleet(), "ready"));
        // the in-place deployment group's names (DeploymentGroupNames) and configuration, for the deploy workflow
        put(m, "codeDeploy", without(in.codeDeploy(), "changes"));
        if (in.verification() != null && in.verification().has("siteUrl")) m.put("siteUrl", in.verification().path("siteUrl").asText());
        return m;
    }

    private static void put(ObjectNode m, String key, JsonNode value) {
        if (value != null && !value.isNull() && !value.isMissingNode()) m.set(key, value);
    }

    private static JsonNode without(JsonNode node, String field) {
        if (node == null || !node.isObject()) return node;
        ObjectNode copy = node.deepCopy();
        copy.remove(field);
        return copy;
    }
}
