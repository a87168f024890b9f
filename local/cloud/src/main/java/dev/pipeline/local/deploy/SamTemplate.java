package dev.pipeline.local.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml read as data: its functions (handler, timeout, environment, EventBridge rule events, with SAM's
 * Globals merged in as SAM merges them: {@link #properties}) and state
 * machines (definition file, substitutions). CloudFormation's short-form tags are dropped by the YAML reader ({@code !Ref X} reads as "X"), so
 * a value that names a logical id or parameter is a reference; {@link LocalDeployment} resolves those.
 */
public final class SamTemplate {
    /** A function as the template declares it, Globals applied. */
    public record Function(String logicalId, String handler, int timeoutSeconds, Map<String, String> environment) {
        /** The handler class ("pkg.Class::method" → "pkg.Class"). */
        public String handlerClass() {
            int i = handler.indexOf("::");
            return i < 0 ? handler : handler.substring(0, i);
        }
    }

    /**
     * A function's {@code Type: EventBridgeRule} event: the rule SAM makes with the function as its one target.
     * Values are as written (references unresolved); absent optional properties are null.
     *
     * @param targetId the target's Id: {@code Target.Id}, or SAM's default {@code <Function><Event>LambdaTarget}
     * @param state    {@code ENABLED} or {@code DISABLED} (SAM's State, or its older Enabled flag)
     */
    public record EventRule(String functionLogicalId, String eventName, JsonNode pattern, String eventBusName,
                            String ruleName, String targetId, String input, String inputPath, String state) {}

    /** A DynamoDB table: its key attributes in key-schema order (HASH first), each with its attribute type. */
    public record Table(String logicalId, List<Key> keys) {
        public record Key(String name, String attributeType, String keyType) {}
    }

    /** A parameter with the constraints CloudFormation checks before a deploy (absent ones are null). */
    public record Parameter(String name, String type, String defaultValue, String allowedPattern, List<String> allowedValues,
                            Double minValue, Double maxValue, Integer minLength, Integer maxLength) {}

    /** A state machine: the ASL file and its substitutions (name → referenced logical id, ".Alias" stripped). */
    public record StateMachine(String logicalId, Path definition, Map<String, String> substitutions) {}

    private static final String SERVERLESS = "AWS::Serverless::";
    /**
     * The properties SAM takes in each Globals section (samtranslator {@code Globals.supported_properties}: for
     * functions, everything but Role, Policies, FunctionName and Events). A shared policy is a managed policy that
     * each function lists in its own Policies.
     */
    static final Map<String, List<String>> GLOBAL_PROPERTIES = Map.of(
            "Function", List.of("Handler", "Runtime", "CodeUri", "DeadLetterQueue", "Description", "MemorySize", "Timeout",
                    "VpcConfig", "Environment", "Tags", "PropagateTags", "Tracing", "KmsKeyArn", "AutoPublishAlias",
                    "AutoPublishAliasAllProperties", "Layers", "DeploymentPreference", "RolePath", "PermissionsBoundary",
                    "ReservedConcurrentExecutions", "ProvisionedConcurrencyConfig", "AssumeRolePolicyDocument",
                    "EventInvokeConfig", "FileSystemConfigs", "CodeSigningConfigArn", "Architectures", "SnapStart",
                    "EphemeralStorage", "FunctionUrlConfig", "RuntimeManagementConfig", "LoggingConfig", "RecursiveLoop",
                    "SourceKMSKeyArn", "TenancyConfig", "DurableConfig", "CapacityProviderConfig", "FunctionScalingConfig",
                    "PublishToLatestPublished", "VersionDeletionPolicy"),
            "StateMachine", List.of("PropagateTags"),
            "SimpleTable", List.of("SSESpecification"),
            "LayerVersion", List.of("PublishLambdaVersion"));

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private final Path file;
    private final JsonNode root;

    private SamTemplate(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static SamTemplate read(Path templateYaml) throws IOException {
        return new SamTemplate(templateYaml, new YAMLMapper().readTree(Files.readString(templateYaml)));
    }

    /** Looks for template.yaml in {@code start} and its parents (tests run from a module directory). */
    public static Path locate(Path start) {
        Path dir = start.toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("template.yaml"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("template.yaml not found in " + start.toAbsolutePath() + " or above");
        return dir.resolve("template.yaml");
    }

    public Path file() { return file; }

    public JsonNode root() { return root; }

    /** Every logical id and parameter name: what a bare value may refer to. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        root.path("Resources").fieldNames().forEachRemaining(n::add);
        root.path("Parameters").fieldNames().forEachRemaining(n::add);
        return n;
    }

    public String resourceType(String logicalId) {
        return root.path("Resources").path(logicalId).path("Type").asText(null);
    }

    public JsonNode parameterDefault(String name) {
        JsonNode d = root.path("Parameters").path(name).path("Default");
        return d.isMissingNode() ? MissingNode.getInstance() : d;
    }

    /** Every {@code AWS::DynamoDB::Table}, with the attribute types of its keys. */
    public List<Table> tables() {
        List<Table> out = new ArrayList<>();
        root.path("Resources").properties().forEach(r -> {
            if (!"AWS::DynamoDB::Table".equals(r.getValue().path("Type").asText())) return;
            JsonNode p = r.getValue().path("Properties");
            Map<String, String> types = new LinkedHashMap<>();
            p.path("AttributeDefinitions").forEach(a -> types.put(a.path("AttributeName").asText(), a.path("AttributeType").asText()));
            List<Table.Key> keys = new ArrayList<>();
            p.path("KeySchema").forEach(k -> keys.add(new Table.Key(k.path("AttributeName").asText(),
                    types.getOrDefault(k.path("AttributeName").asText(), "S"), k.path("KeyType").asText())));
            keys.sort(java.util.Comparator.comparing(k -> k.keyType().equals("HASH") ? 0 : 1));
            out.add(new Table(r.getKey(), keys));
        });
        return out;
    }

    /** Every parameter with its default and constraints. */
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        root.path("Parameters").properties().forEach(e -> {
            JsonNode p = e.getValue();
            List<String> allowed = new ArrayList<>();
            p.path("AllowedValues").forEach(v -> allowed.add(v.asText()));
            out.add(new Parameter(e.getKey(), p.path("Type").asText("String"), p.has("Default") ? p.get("Default").asText() : null,
                    p.has("AllowedPattern") ? p.get("AllowedPattern").asText() : null, allowed.isEmpty() ? null : allowed,
                    p.has("MinValue") ? p.get("MinValue").asDouble() : null, p.has("MaxValue") ? p.get("MaxValue").asDouble() : null,
                    p.has("MinLength") ? p.get("MinLength").asInt() : null, p.has("MaxLength") ? p.get("MaxLength").asInt() : null));
        });
        return out;
    }

    public List<Function> functions() {
        List<Function> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!"AWS::Serverless::Function".equals(r.getValue().path("Type").asText())) continue;
            JsonNode p = properties(r.getKey());
            Map<String, String> env = new LinkedHashMap<>();
            p.path("Environment").path("Variables").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            out.add(new Function(r.getKey(), p.path("Handler").asText(null), p.path("Timeout").asInt(3), env));
        }
        return out;
    }

    /**
     * A resource's properties as SAM gives them to it: for an {@code AWS::Serverless::<Kind>}, the template's
     * {@code Globals.<Kind>} merged in by {@link #mergeGlobals} (less what its {@code IgnoreGlobals} attribute names);
     * any other resource's as written.
     *
     * @throws IllegalStateException for a Globals property SAM does not take for that kind (SAM refuses the template)
     */
    public JsonNode properties(String logicalId) {
        JsonNode resource = root.path("Resources").path(logicalId);
        JsonNode local = resource.path("Properties").isObject() ? resource.path("Properties") : JsonNodeFactory.instance.objectNode();
        String type = resource.path("Type").asText();
        if (!type.startsWith(SERVERLESS)) return local;
        String kind = type.substring(SERVERLESS.length());
        JsonNode globals = root.path("Globals").path(kind);
        if (!globals.isObject()) return local;
        ObjectNode global = globals.deepCopy();
        List<String> supported = GLOBAL_PROPERTIES.get(kind);
        global.fieldNames().forEachRemaining(name -> {
            if (supported == null) throw new IllegalStateException("Globals." + kind + ": the local deployment reads no such section");
            if (!supported.contains(name)) {
                throw new IllegalStateException("Globals." + kind + "." + name + ": SAM does not take " + name
                        + " in Globals (it takes " + String.join(", ", supported) + ")");
            }
        });
        JsonNode ignore = resource.path("IgnoreGlobals");
        if (ignore.isTextual() && ignore.asText().equals("*")) return local;
        ignore.forEach(name -> global.remove(name.asText()));
        return mergeGlobals(global, local);
    }

    /**
     * SAM's merge of a Globals value into a resource's own (samtranslator {@code GlobalProperties}; the rules of
     * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html):
     * maps merge key by key, recursively, the resource's value merged over the global one; lists are concatenated,
     * the global entries first, without removing duplicates; anything else (a string, number, boolean, or an
     * intrinsic such as {@code {"Ref": ...}}, which SAM treats as the value it resolves to), and two values of
     * different kinds, take the resource's value. A property only in Globals is the global value.
     *
     * <p>Short-form tags are dropped when the template is read, so {@code !If [C, A, B]} reads as a three-element
     * list and would be concatenated where SAM would take it whole: write such a value in one place only.
     */
    public static JsonNode mergeGlobals(JsonNode global, JsonNode local) {
        if (local == null || local.isMissingNode()) return global.deepCopy();
        Kind g = kind(global);
        Kind l = kind(local);
        if (g != l || l == Kind.VALUE) return local.deepCopy();
        if (l == Kind.LIST) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            global.forEach(v -> list.add(v.deepCopy()));
            local.forEach(v -> list.add(v.deepCopy()));
            return list;
        }
        ObjectNode merged = global.deepCopy();
        local.properties().forEach(e -> merged.set(e.getKey(), merged.has(e.getKey())
                ? mergeGlobals(merged.get(e.getKey()), e.getValue()) : e.getValue().deepCopy()));
        return merged;
    }

    private enum Kind { VALUE, LIST, MAP }

    private static Kind kind(JsonNode n) {
        if (n.isArray()) return Kind.LIST;
        if (!n.isObject()) return Kind.VALUE;
        // an intrinsic (samtranslator is_intrinsic): one key, Ref, Condition or Fn::*
        if (n.size() == 1) {
            String key = n.fieldNames().next();
            if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::")) return Kind.VALUE;
        }
        return Kind.MAP;
    }

    /**
     * Every {@code Type: EventBridgeRule} event of every function. Other event types are not returned: schedules
     * never fire locally (local/README.md).
     *
     * @throws IllegalStateException for an event the local deployment cannot honour (no Pattern, InputTransformer)
     */
    public List<EventRule> eventRules() {
        List<EventRule> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!"AWS::Serverless::Function".equals(r.getValue().path("Type").asText())) continue;
            for (Iterator<Map.Entry<String, JsonNode>> ev = r.getValue().path("Properties").path("Events").fields(); ev.hasNext(); ) {
                Map.Entry<String, JsonNode> e = ev.next();
                if (!"EventBridgeRule".equals(e.getValue().path("Type").asText())) continue;
                String where = r.getKey() + ".Events." + e.getKey();
                JsonNode p = e.getValue().path("Properties");
                if (!p.path("Pattern").isObject()) throw new IllegalStateException(where + " has no Pattern");
                if (p.has("InputTransformer")) {
                    throw new IllegalStateException(where + ": InputTransformer is not supported by the local cloud "
                            + "(use Input or InputPath)");
                }
                String state = p.hasNonNull("State") ? p.path("State").asText()
                        : p.path("Enabled").asBoolean(true) ? "ENABLED" : "DISABLED";
                out.add(new EventRule(r.getKey(), e.getKey(), p.path("Pattern"), text(p, "EventBusName"),
                        text(p, "RuleName"), p.path("Target").path("Id").asText(r.getKey() + e.getKey() + "LambdaTarget"),
                        text(p, "Input"), text(p, "InputPath"), state));
            }
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    public List<StateMachine> stateMachines() {
        List<StateMachine> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!"AWS::Serverless::StateMachine".equals(r.getValue().path("Type").asText())) continue;
            JsonNode p = properties(r.getKey());
            Map<String, String> subs = new LinkedHashMap<>();
            p.path("DefinitionSubstitutions").fields().forEachRemaining(e ->
                    subs.put(e.getKey(), e.getValue().asText().replaceFirst("\\.(Alias|Arn)$", "")));
            out.add(new StateMachine(r.getKey(), file.getParent().resolve(p.path("DefinitionUri").asText()), subs));
        }
        return out;
    }

    /** The ${Name} placeholders used in a definition file. */
    public static List<String> placeholders(String definition) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(definition);
        while (m.find()) if (!names.contains(m.group(1))) names.add(m.group(1));
        return names;
    }

    /** The definition with each ${Name} replaced. */
    public static String substitute(String definition, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(definition);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new IllegalArgumentException("no DefinitionSubstitution for ${" + m.group(1) + "}");
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
