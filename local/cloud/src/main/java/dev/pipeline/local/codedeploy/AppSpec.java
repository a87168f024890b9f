package dev.pipeline.local.codedeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an EC2/On-Premises appspec.yml the agent acts on (CodeDeploy user guide, "AppSpec File structure":
 * {@code version}, {@code os}, {@code files} with {@code source}/{@code destination}, {@code hooks} mapping a
 * lifecycle event to scripts with {@code location}, {@code timeout} (seconds, default 3600, at most 3600) and
 * {@code runas}). A hook's location is relative to the root of the revision bundle, as the agent joins it to the
 * deployment archive directory ({@code hook_executor.rb}, {@code script_absolute_path}).
 */
public record AppSpec(String os, List<FileMapping> files, Map<String, List<Script>> hooks) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** "The timeout ... The default is 3600 seconds (1 hour)" and "the maximum amount of time ... is 3600" (AppSpec 'hooks' section). */
    public static final int DEFAULT_TIMEOUT = 3600;

    public record FileMapping(String source, String destination) {}

    public record Script(String location, int timeout, String runas) {}

    /** Thrown for an appspec the agent would refuse; the message says why. */
    public static final class Invalid extends Exception {
        Invalid(String message) { super(message); }
    }

    public static AppSpec parse(String text) throws Invalid {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (java.io.IOException e) {
            throw new Invalid("The deployment failed because an invalid AppSpec file was found: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new Invalid("The deployment failed because the AppSpec file is empty or not a map");
        if (!root.has("version")) throw new Invalid("The AppSpec file is missing the required field 'version'");
        String os = root.path("os").asText("linux");
        List<FileMapping> files = new ArrayList<>();
        for (JsonNode f : root.path("files")) {
            if (!f.hasNonNull("source") || !f.hasNonNull("destination")) {
                throw new Invalid("The AppSpec file's files entries need a source and a destination");
            }
            files.add(new FileMapping(f.get("source").asText(), f.get("destination").asText()));
        }
        Map<String, List<Script>> hooks = new LinkedHashMap<>();
        JsonNode h = root.path("hooks");
        for (var it = h.fields(); it.hasNext(); ) {
            var e = it.next();
            List<Script> scripts = new ArrayList<>();
            JsonNode list = e.getValue();
            if (list.isObject()) list = YAML.createArrayNode().add(list);
            for (JsonNode s : list) {
                if (!s.hasNonNull("location")) throw new Invalid("A script of hook " + e.getKey() + " has no location");
                int timeout = s.path("timeout").asInt(DEFAULT_TIMEOUT);
                if (timeout <= 0 || timeout > DEFAULT_TIMEOUT) {
                    throw new Invalid("The timeout of " + s.get("location").asText() + " must be 1..3600 seconds");
                }
                scripts.add(new Script(s.get("location").asText(), timeout,
                        s.hasNonNull("runas") ? s.get("runas").asText() : null));
            }
            hooks.put(e.getKey(), List.copyOf(scripts));
        }
        return new AppSpec(os, List.copyOf(files), hooks);
    }

    public List<Script> scripts(String event) {
        return hooks.getOrDefault(event, List.of());
    }
}
