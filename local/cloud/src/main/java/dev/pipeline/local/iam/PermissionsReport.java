package dev.pipeline.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per role: the actions its policies grant against the actions a run of the workflows used (every decision the
 * gateway recorded, allowed or not): what is missing (used and not allowed) and what is granted and unused. Pure.
 */
public final class PermissionsReport {
    /** One role's line: granted, used, missing (denied uses, with what was denied), unused. */
    public record Line(String role, Set<String> granted, Set<String> used, Map<String, String> missing, Set<String> unused) {}

    private PermissionsReport() {}

    /**
     * @param roles role name to its policy documents
     * @param uses  the gateway's recorded decisions ({@code {"uses":[{role,action,resource,decision}]}})
     */
    public static List<Line> of(Map<String, List<JsonNode>> roles, JsonNode uses, List<String> knownActions) {
        List<Line> out = new ArrayList<>();
        for (var role : new TreeMap<>(roles).entrySet()) {
            Set<String> granted = new TreeSet<>();
            for (JsonNode doc : role.getValue()) {
                JsonNode st = doc.path("Statement");
                for (JsonNode s : st.isArray() ? st : List.of(st)) {
                    if (!"Allow".equals(s.path("Effect").asText())) continue;
                    for (String a : PolicyEvaluator.values(s.path("Action"))) {
                        if (a.contains("*")) {
                            knownActions.stream().filter(k -> PolicyEvaluator.glob(a, k, true)).forEach(granted::add);
                        } else {
                            granted.add(a);
                        }
                    }
                }
            }
            Set<String> used = new TreeSet<>();
            Map<String, String> missing = new TreeMap<>();
            for (JsonNode u : uses.path("uses")) {
                if (!role.getKey().equals(u.path("role").asText())) continue;
                used.add(u.path("action").asText());
                if (!"ALLOW".equals(u.path("decision").asText())) {
                    missing.putIfAbsent(u.path("action").asText(), u.path("resource").asText() + " (" + u.path("decision").asText() + ")");
                }
            }
            Set<String> unused = new TreeSet<>(granted);
            unused.removeAll(used);
            out.add(new Line(role.getKey(), granted, used, missing, unused));
        }
        return out;
    }

    public static String markdown(List<Line> lines, String header) {
        StringBuilder sb = new StringBuilder(header);
        sb.append("\n| Role | Granted | Used | Missing (used, denied) | Granted, unused |\n|---|---|---|---|---|\n");
        for (Line l : lines) {
            sb.append("| ").append(l.role()).append(" | ").append(l.granted().size()).append(" | ").append(l.used().size())
                    .append(" | ").append(l.missing().isEmpty() ? "none" : String.join("<br>", l.missing().entrySet().stream()
                            .map(e -> "`" + e.getKey() + "` on " + e.getValue()).toList()))
                    .append(" | ").append(l.unused().isEmpty() ? "none" : String.join(", ", l.unused().stream().map(a -> "`" + a + "`").toList()))
                    .append(" |\n");
        }
        sb.append("\n## Used actions per role\n\n");
        for (Line l : lines) {
            sb.append("- **").append(l.role()).append("**: ")
                    .append(l.used().isEmpty() ? "(no calls in the recorded runs)" : String.join(", ", l.used().stream().map(a -> "`" + a + "`").toList()))
                    .append('\n');
        }
        return sb.toString();
    }

    public static ObjectNode json(List<Line> lines) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        var arr = root.putArray("roles");
        for (Line l : lines) {
            ObjectNode o = arr.addObject().put("role", l.role());
            o.set("granted", m.valueToTree(l.granted()));
            o.set("used", m.valueToTree(l.used()));
            o.set("missing", m.valueToTree(l.missing()));
            o.set("unused", m.valueToTree(l.unused()));
        }
        return root;
    }
}
