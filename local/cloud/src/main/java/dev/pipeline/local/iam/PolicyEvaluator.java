package dev.pipeline.local.iam;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Decides one authorization question (action, resource ARN, request context) against a principal's
 * identity-based policies, as IAM's evaluation logic does within one account: an explicit Deny wins, then any
 * Allow, else the implicit deny. Pure: no I/O.
 *
 * <p>Modelled: Effect, Action/NotAction and Resource/NotResource with {@code *} and {@code ?} wildcards (actions
 * case-insensitive, resources case-sensitive); the String*, Arn*, Bool and Null operators, each with
 * {@code ...IfExists} and the {@code ForAllValues:}/{@code ForAnyValue:} set qualifiers. A statement that applies
 * to the action and resource but uses an operator or condition key this evaluator does not know makes the answer
 * {@link Decision#NOT_MODELLED} (a denial): we cannot say what AWS would decide.
 *
 * <p>AWS, "IAM JSON policy elements: Condition operators": "If the key that you specify in a policy condition is
 * not present in the request context, the values do not match and the condition is false. If the policy condition
 * requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the
 * condition is true. This logic applies to all condition operators except ...IfExists and Null check."
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
public final class PolicyEvaluator {

    public enum Decision { ALLOW, IMPLICIT_DENY, EXPLICIT_DENY, NOT_MODELLED }

    /**
     * One question: may the principal perform {@code action} on {@code resource}? {@code context} maps condition
     * keys (lower case) to their values in this request; a key absent from it is absent from the request.
     */
    public record Check(String action, String resource, Map<String, List<String>> context) {
        public Check {
            context = Map.copyOf(context);
        }
    }

    /** The answer, and for NOT_MODELLED what was not modelled. */
    public record Result(Decision decision, String detail) {
        public boolean allowed() { return decision == Decision.ALLOW; }
    }

    private static final Pattern OPERATOR = Pattern.compile(
            "(?:(ForAllValues|ForAnyValue):)?(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase"
                    + "|StringLike|StringNotLike|ArnEquals|ArnNotEquals|ArnLike|ArnNotLike|Bool|Null)(IfExists)?");

    private final Predicate<String> modelledKey;

    /** @param modelledKey whether a condition key (lower case) is one this evaluator's requests carry when they apply */
    public PolicyEvaluator(Predicate<String> modelledKey) {
        this.modelledKey = modelledKey;
    }

    public Result evaluate(List<JsonNode> policies, Check check) {
        boolean allowed = false;
        String notModelled = null;
        for (JsonNode policy : policies) {
            for (JsonNode statement : statements(policy)) {
                if (!appliesTo(statement, check)) continue;
                Outcome c = conditions(statement.path("Condition"), check.context());
                if (c == Outcome.UNKNOWN) {
                    notModelled = unknownIn(statement.path("Condition"));
                    continue;
                }
                if (c == Outcome.FALSE) continue;
                if ("Deny".equals(statement.path("Effect").asText())) return new Result(Decision.EXPLICIT_DENY, null);
                if ("Allow".equals(statement.path("Effect").asText())) allowed = true;
            }
        }
        if (notModelled != null) return new Result(Decision.NOT_MODELLED, notModelled);
        return new Result(allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY, null);
    }

    private static List<JsonNode> statements(JsonNode policy) {
        JsonNode s = policy.path("Statement");
        List<JsonNode> out = new ArrayList<>();
        if (s.isArray()) s.forEach(out::add);
        else if (s.isObject()) out.add(s);
        return out;
    }

    private static boolean appliesTo(JsonNode statement, Check check) {
        boolean action;
        if (statement.has("Action")) action = anyMatch(statement.get("Action"), check.action(), true);
        else if (statement.has("NotAction")) action = !anyMatch(statement.get("NotAction"), check.action(), true);
        else return false;
        if (!action) return false;
        if (statement.has("Resource")) return anyMatch(statement.get("Resource"), check.resource(), false);
        if (statement.has("NotResource")) return !anyMatch(statement.get("NotResource"), check.resource(), false);
        return false;
    }

    private static boolean anyMatch(JsonNode patterns, String value, boolean ignoreCase) {
        for (String p : values(patterns)) {
            if (glob(p, value, ignoreCase)) return true;
        }
        return false;
    }

    static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) node.forEach(n -> out.add(n.asText()));
        else if (!node.isMissingNode() && !node.isNull()) out.add(node.asText());
        return out;
    }

    /** IAM's wildcard match: {@code *} any run of characters, {@code ?} one character. */
    static boolean glob(String pattern, String value, boolean ignoreCase) {
        if (ignoreCase) {
            pattern = pattern.toLowerCase(Locale.ROOT);
            value = value.toLowerCase(Locale.ROOT);
        }
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = v;
            } else if (star >= 0) {
                p = star + 1;
                v = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }

    private enum Outcome { TRUE, FALSE, UNKNOWN }

    private Outcome conditions(JsonNode condition, Map<String, List<String>> context) {
        if (condition.isMissingNode() || condition.isEmpty()) return Outcome.TRUE;
        boolean all = true;
        for (var op : condition.properties()) {
            var m = OPERATOR.matcher(op.getKey());
            if (!m.matches()) return Outcome.UNKNOWN;
            for (var key : op.getValue().properties()) {
                String k = key.getKey().toLowerCase(Locale.ROOT);
                if (!modelledKey.test(k)) return Outcome.UNKNOWN;
                if (!holds(m.group(1), m.group(2), m.group(3) != null, values(key.getValue()), context.get(k))) all = false;
            }
        }
        return all ? Outcome.TRUE : Outcome.FALSE;
    }

    private String unknownIn(JsonNode condition) {
        for (var op : condition.properties()) {
            if (!OPERATOR.matcher(op.getKey()).matches()) return "condition operator " + op.getKey();
            for (var key : op.getValue().properties()) {
                if (!modelledKey.test(key.getKey().toLowerCase(Locale.ROOT))) return "condition key " + key.getKey();
            }
        }
        return "condition";
    }

    private static boolean holds(String set, String op, boolean ifExists, List<String> policyValues, List<String> requestValues) {
        boolean present = requestValues != null && !requestValues.isEmpty();
        if (op.equals("Null")) {
            boolean wantAbsent = policyValues.stream().anyMatch("true"::equalsIgnoreCase);
            return wantAbsent != present;
        }
        boolean negated = op.contains("Not");
        if ("ForAllValues".equals(set)) {
            if (!present) return true;
            return requestValues.stream().allMatch(v -> single(op, negated, policyValues, v));
        }
        if ("ForAnyValue".equals(set)) {
            if (!present) return false;
            return requestValues.stream().anyMatch(v -> single(op, negated, policyValues, v));
        }
        if (!present) return ifExists || negated;
        boolean any = requestValues.stream().anyMatch(v -> positive(op, policyValues, v));
        return negated != any;
    }

    private static boolean single(String op, boolean negated, List<String> policyValues, String v) {
        return negated != positive(op, policyValues, v);
    }

    private static boolean positive(String op, List<String> policyValues, String v) {
        for (String p : policyValues) {
            boolean match = switch (op) {
                case "StringEquals", "StringNotEquals" -> p.equals(v);
                case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "Bool" -> p.equalsIgnoreCase(v);
                // ArnEquals and ArnLike behave alike: both take wildcards (IAM condition operators, "ARN condition operators")
                case "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike" -> glob(p, v, false);
                default -> false;
            };
            if (match) return true;
        }
        return false;
    }
}
