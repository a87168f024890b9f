package dev.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object, recording a {@link Problem} for each wrong type or missing required
 * field instead of stopping, and remembering which names it was asked for so that whatever else is in the
 * object can be reported as unknown. A {@code null} value counts as absent.
 *
 * <p>Accessors return {@code null} when a value is unusable (its problem is recorded); {@link #ok(String)}
 * tells cross-field checks whether they can trust a field.
 */
final class JsonFields {

    private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final JsonNode node;
    private final String path;
    private final List<Problem> problems;
    private final Set<String> known = new LinkedHashSet<>();
    private final Set<String> invalid = new HashSet<>();

    JsonFields(JsonNode node, String path, List<Problem> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path.isEmpty() ? "$" : path;
    }

    String path(String field) {
        return child(path, field);
    }

    static String child(String parent, String key) {
        String step = SIMPLE_KEY.matcher(key).matches() ? key : "[\"" + key.replace("\"", "\\\"") + "\"]";
        if (parent.isEmpty()) {
            return step;
        }
        return step.startsWith("[") ? parent + step : parent + "." + step;
    }

    boolean has(String field) {
        known.add(field);
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** True when the field is absent or was read without a problem. */
    boolean ok(String field) {
        return !invalid.contains(field);
    }

    void problem(String field, String reason) {
        invalid.add(field);
        problems.add(new Problem(path(field), reason));
    }

    String requiredString(String field, String whatItIs) {
        if (!has(field)) {
            problem(field, "required: " + whatItIs);
            return null;
        }
        return optionalString(field);
    }

    String optionalString(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            problem(field, "expected a string, got " + describe(value));
            return null;
        }
        return value.textValue();
    }

    String string(String field, String fallback) {
        return has(field) ? optionalString(field) : fallback;
    }

    Integer optionalInt(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber()) {
            problem(field, "expected a whole number, got " + describe(value));
            return null;
        }
        if (!value.canConvertToInt()) {
            problem(field, "number out of range: " + value.asText());
            return null;
        }
        return value.intValue();
    }

    /** The value, or {@code fallback} when absent; checked to lie in {@code min..max} (inclusive). */
    Integer intInRange(String field, int fallback, int min, int max, String why) {
        Integer value = has(field) ? optionalInt(field) : Integer.valueOf(fallback);
        if (value != null && (value < min || value > max)) {
            problem(field, "must be " + min + " to " + max + (why.isEmpty() ? "" : " (" + why + ")") + ", got " + value);
            return null;
        }
        return value;
    }

    Boolean bool(String field, boolean fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            problem(field, "expected true or false, got " + describe(value));
            return null;
        }
        return value.booleanValue();
    }

    /** The nested object, or {@code null} when absent (a problem if {@code required}) or not an object. */
    JsonFields object(String field, boolean required, String whatItIs) {
        if (!has(field)) {
            if (required) {
                problem(field, "required: " + whatItIs);
            }
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isObject()) {
            problem(field, "expected an object, got " + describe(value));
            return null;
        }
        return new JsonFields(value, path(field), problems);
    }

    /**
     * The array's strings, with {@code null} at positions holding something else (each recorded as a problem at
     * {@code field[i]}); {@code null} for the whole when absent (a problem if {@code required}) or not an array.
     */
    List<String> stringList(String field, boolean required, String whatItIs) {
        if (!has(field)) {
            if (required) {
                problem(field, "required: " + whatItIs);
            }
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            problem(field, "expected an array of strings, got " + describe(value));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isTextual()) {
                out.add(item.textValue());
            } else {
                invalid.add(field);
                problems.add(new Problem(path(field) + "[" + i + "]", "expected a string, got " + describe(item)));
                out.add(null);
            }
        }
        return out;
    }

    /** A string-to-string object, keeping document order; non-string values become problems at their key. */
    Map<String, String> stringMap(String field) {
        if (!has(field)) {
            return Map.of();
        }
        JsonNode value = node.get(field);
        if (!value.isObject()) {
            problem(field, "expected an object of string values, got " + describe(value));
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (entry.getValue().isTextual()) {
                out.put(entry.getKey(), entry.getValue().textValue());
            } else {
                invalid.add(field);
                problems.add(new Problem(child(path(field), entry.getKey()),
                        "expected a string, got " + describe(entry.getValue())));
            }
        }
        return out;
    }

    /** Reports every field of the object that no accessor asked for, with a suggestion when one is close. */
    void rejectUnknown() {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            if (known.contains(name)) {
                continue;
            }
            List<String> candidates = known.stream().filter(k -> !node.has(k)).toList();
            String reason = Suggestions.closest(name, candidates)
                    .map(s -> "unknown field; did you mean \"" + s + "\"?")
                    .orElseGet(() -> "unknown field; expected one of: " + String.join(", ", known));
            problems.add(new Problem(path(name), reason));
        }
    }

    static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string (\"" + value.textValue() + "\")";
            case NUMBER -> "a number (" + value.asText() + ")";
            case BOOLEAN -> value.asText();
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
