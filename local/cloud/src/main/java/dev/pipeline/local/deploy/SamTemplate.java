package dev.pipeline.local.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
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
 * template.yaml read as data: its functions (handler, timeout, environment) and state machines (definition file,
 * substitutions). CloudFormation's short-form tags are dropped by the YAML reader ({@code !Ref X} reads as "X"), so
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

    /** A state machine: the ASL file and its substitutions (name → referenced logical id, ".Alias" stripped). */
    public record StateMachine(String logicalId, Path definition, Map<String, String> substitutions) {}

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

    public List<Function> functions() {
        JsonNode globals = root.path("Globals").path("Function");
        List<Function> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!"AWS::Serverless::Function".equals(r.getValue().path("Type").asText())) continue;
            JsonNode p = r.getValue().path("Properties");
            String handler = p.path("Handler").asText(globals.path("Handler").asText(null));
            int timeout = p.path("Timeout").asInt(globals.path("Timeout").asInt(3));
            Map<String, String> env = new LinkedHashMap<>();
            globals.path("Environment").path("Variables").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            p.path("Environment").path("Variables").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            out.add(new Function(r.getKey(), handler, timeout, env));
        }
        return out;
    }

    public List<StateMachine> stateMachines() {
        List<StateMachine> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!"AWS::Serverless::StateMachine".equals(r.getValue().path("Type").asText())) continue;
            JsonNode p = r.getValue().path("Properties");
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
