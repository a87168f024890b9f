package dev.pipeline.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * What an EventBridge target passes on, as the rule's target says: the whole event (neither Input nor
 * InputPath), a constant JSON text (Input), or the part of the event a JSONPath selects (InputPath).
 * Pure: the same event gives the same text.
 */
record TargetInput(String constant, String inputPath, List<Object> path) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The input settings of one PutTargets target.
     *
     * @throws IllegalArgumentException for settings AWS rejects (both Input and InputPath, Input that is not
     *                                  JSON) and for ones the local cloud cannot honour (InputTransformer, JSONPath
     *                                  beyond dot, bracket and index steps); the message is for the user
     */
    static TargetInput of(JsonNode target) {
        String input = text(target, "Input");
        String inputPath = text(target, "InputPath");
        if (target.hasNonNull("InputTransformer")) {
            // moto ignores InputTransformer on S3 events and applies it loosely on PutEvents; rather than pass
            // a state machine or function the whole event when the user asked for another shape, refuse it here.
            throw new IllegalArgumentException("Target " + target.path("Id").asText() + ": InputTransformer on a Step "
                    + "Functions or Lambda target is not supported by the local cloud (use Input or InputPath, or the "
                    + "whole event)");
        }
        if (input != null && inputPath != null) {
            // AWS API reference, Target: Input, InputPath and InputTransformer are mutually exclusive.
            throw new IllegalArgumentException("Target " + target.path("Id").asText()
                    + ": Input and InputPath are mutually exclusive");
        }
        if (input != null) {
            try {
                JSON.readTree(input);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Target " + target.path("Id").asText() + ": Input is not valid JSON");
            }
        }
        return new TargetInput(input, inputPath, inputPath == null ? List.of() : parsePath(inputPath));
    }

    /** The execution input or function payload for {@code event} (already normalised). */
    String apply(JsonNode event) {
        if (constant != null) return constant;
        if (inputPath == null) return event.toString();
        JsonNode n = event;
        for (Object step : path) {
            n = step instanceof Integer i ? n.path(i) : n.path((String) step);
        }
        // Not confirmed against AWS: what a target receives when the path selects nothing. An execution needs
        // JSON input, so the relay passes an empty object (to functions too).
        return n.isMissingNode() ? "{}" : n.toString();
    }

    /**
     * Parses the JSONPath subset EventBridge documents for InputPath: {@code $}, then {@code .name},
     * {@code ['name']} or {@code [index]} steps. Wildcards, recursive descent and filters are refused.
     */
    static List<Object> parsePath(String p) {
        if (!p.startsWith("$")) throw badPath(p);
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') end++;
                String name = p.substring(i + 1, end);
                if (name.isEmpty() || name.equals("*")) throw badPath(p);
                steps.add(name);
                i = end;
            } else if (c == '[') {
                int close = p.indexOf(']', i);
                if (close < 0) throw badPath(p);
                String inner = p.substring(i + 1, close).trim();
                if (inner.length() >= 2 && (inner.startsWith("'") && inner.endsWith("'")
                        || inner.startsWith("\"") && inner.endsWith("\""))) {
                    steps.add(inner.substring(1, inner.length() - 1));
                } else if (inner.matches("\\d+")) {
                    steps.add(Integer.parseInt(inner));
                } else {
                    throw badPath(p);
                }
                i = close + 1;
            } else {
                throw badPath(p);
            }
        }
        return List.copyOf(steps);
    }

    private static IllegalArgumentException badPath(String p) {
        return new IllegalArgumentException("InputPath " + p + " is not supported by the local cloud (use $, .name, "
                + "['name'] and [index] steps)");
    }

    private static String text(JsonNode target, String field) {
        JsonNode n = target.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
