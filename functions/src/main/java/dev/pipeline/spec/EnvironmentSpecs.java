package dev.pipeline.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Reads and writes environment spec documents. {@link #parse(String)} either returns a complete, validated spec
 * with defaults applied, or throws {@link InvalidSpecException} listing every problem. Pure: no AWS calls, no
 * I/O. Serializing then parsing gives an equal spec.
 */
public final class EnvironmentSpecs {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            // Two "name" fields would silently keep the last; make it an error instead.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Written for people who edit the file: {@code "key": value}, one array item per line, LF endings. */
    private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter());

    private EnvironmentSpecs() {
    }

    /** Parses and validates a spec document. */
    public static EnvironmentSpec parse(String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(List.of(malformed(e)));
        }
        return new SpecReader().read(tree);
    }

    /** Validates a spec already parsed as JSON, e.g. one embedded in a Step Functions execution input. */
    public static EnvironmentSpec fromTree(JsonNode tree) {
        return new SpecReader().read(tree);
    }

    /**
     * Runs every rule on a spec built in code (records check only for nulls). Returns it when valid.
     * Goes through the JSON form so that code-built and parsed specs pass exactly the same rules.
     */
    public static EnvironmentSpec validate(EnvironmentSpec spec) {
        return fromTree(toTree(spec));
    }

    /** The spec as a pretty-printed document, every default written out. */
    public static String toJson(EnvironmentSpec spec) {
        try {
            return WRITER.writeValueAsString(toTree(spec)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    public static ObjectNode toTree(EnvironmentSpec spec) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("specVersion", EnvironmentSpec.SPEC_VERSION);
        root.put("name", spec.name());
        spec.region().ifPresent(r -> root.put("region", r));

        Network n = spec.network();
        ObjectNode network = root.putObject("network");
        network.put("vpcId", n.vpcId());
        strings(network.putArray("publicSubnets"), n.publicSubnets());
        strings(network.putArray("appSubnets"), n.appSubnets());
        network.put("adminCidr", n.adminCidr());
        network.put("sshEnabled", n.sshEnabled());

        root.put("privateZone", spec.privateZone());

        ObjectNode instances = root.putObject("instances");
        for (Map.Entry<Role, Instance> e : spec.instances().entrySet()) {
            ObjectNode one = instances.putObject(e.getKey().key());
            e.getValue().hostname().ifPresent(h -> one.put("hostname", h));
            one.put("ami", e.getValue().ami().value());
            one.put("instanceType", e.getValue().instanceType());
        }

        ObjectNode fleet = root.putObject("fleet");
        fleet.put("min", spec.fleet().min());
        fleet.put("desired", spec.fleet().desired());
        fleet.put("max", spec.fleet().max());

        LoadBalancer lb = spec.loadBalancer();
        ObjectNode loadBalancer = root.putObject("loadBalancer");
        lb.certificateArn().ifPresent(arn -> loadBalancer.put("certificateArn", arn));
        loadBalancer.put("stickinessSeconds", lb.stickinessSeconds());
        HealthCheck h = lb.healthCheck();
        ObjectNode healthCheck = loadBalancer.putObject("healthCheck");
        healthCheck.put("path", h.path());
        healthCheck.put("intervalSeconds", h.intervalSeconds());
        healthCheck.put("timeoutSeconds", h.timeoutSeconds());
        healthCheck.put("healthyThreshold", h.healthyThreshold());
        healthCheck.put("unhealthyThreshold", h.unhealthyThreshold());
        healthCheck.put("successCodes", h.successCodes());

        Artifacts a = spec.artifacts();
        ObjectNode artifacts = root.putObject("artifacts");
        a.bucket().ifPresent(b -> artifacts.put("bucket", b));
        artifacts.put("bootstrapWarKey", a.bootstrapWarKey());
        artifacts.put("keepReleases", a.keepReleases());

        ObjectNode deployment = root.putObject("deployment");
        deployment.put("instanceWarmupSeconds", spec.deployment().instanceWarmupSeconds());
        deployment.put("minHealthyPercentage", spec.deployment().minHealthyPercentage());
        deployment.put("maxHealthyPercentage", spec.deployment().maxHealthyPercentage());
        deployment.put("bakeTimeSeconds", spec.deployment().bakeTimeSeconds());
        ObjectNode alarms = deployment.putObject("alarms");
        alarms.put("target5xxPerMinute", spec.deployment().alarms().target5xxPerMinute());
        alarms.put("lowCapacityMinutes", spec.deployment().alarms().lowCapacityMinutes());
        deployment.putObject("inPlace").put("config", spec.deployment().inPlace().config());
        deployment.put("strategy", spec.deployment().strategy().value());

        ObjectNode tags = root.putObject("tags");
        spec.extraTags().forEach(tags::put);
        return root;
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static Problem malformed(JacksonException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        // The original message is Jackson's first line only: its tail repeats the source and location.
        String detail = e.getOriginalMessage().lines().findFirst().orElse("").trim();
        if (detail.startsWith("Trailing token")) {
            detail = "unexpected content after the end of the document";
        }
        return new Problem("$", "malformed JSON" + where + ": " + detail);
    }
}
