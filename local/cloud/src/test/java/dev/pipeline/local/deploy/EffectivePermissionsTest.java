package dev.pipeline.local.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each role of template.yaml may do, however the template writes it: shared managed policies, Globals, one
 * statement or several. Every role's policies after SAM's expansion ({@link TemplatePolicies}) are cut into single
 * grants, one per effect, action, resource and condition (a statement allows each of its actions on each of its
 * resources under its condition, so the cut changes nothing), and the set of grants is compared with the snapshot in
 * {@code src/test/resources/iam/effective-permissions.json}, taken from the template before its IAM was rewritten to
 * say each shared grant once (issue 10 D). No role may gain or lose a grant by a rewrite.
 *
 * <p>A change that means to grant something else updates the snapshot, so the diff shows the grants it changes:
 * {@code ./pipeline test -q -pl local/cloud -am -Dtest=EffectivePermissionsTest -Dpipeline.permissions.update=true
 * -Dit.test=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
class EffectivePermissionsTest {
    private static final Path SNAPSHOT = Path.of("src/test/resources/iam/effective-permissions.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Parameter sets whose roles differ: DriftFixPolicy is attached only when DriftAutoFix is 'true'. */
    private static final Map<String, Map<String, String>> VARIANTS = Map.of("DriftAutoFix=true", Map.of("DriftAutoFix", "true"));

    @Test
    void everyRole_hasExactlyTheGrantsOfTheSnapshot() throws Exception {
        ObjectNode now = current();
        if (Boolean.getBoolean("pipeline.permissions.update")) {
            Files.createDirectories(SNAPSHOT.getParent());
            // one grant a line, so a diff of the snapshot shows each grant gained or lost
            var printer = new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                    .withArrayIndenter(com.fasterxml.jackson.core.util.DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
            Files.writeString(SNAPSHOT, JSON.writer(printer).writeValueAsString(now) + "\n");
        }
        JsonNode snapshot = JSON.readTree(Files.readString(SNAPSHOT));
        List<String> differences = new ArrayList<>();
        compare("", snapshot, now, differences);
        assertThat(differences).as("grants that differ from " + SNAPSHOT + " (gained: +, lost: -); a change meant to grant "
                + "something else regenerates it: see this class's comment").isEmpty();
        assertThat(now.path("default").size()).as("roles").isGreaterThan(30);
    }

    @Test
    void aStatement_isCutIntoOneGrantPerActionResourceAndConditionValue_inCanonicalForm() throws Exception {
        JsonNode doc = JSON.readTree("""
            {"Statement": [{"Effect": "Allow", "Action": ["b:Two", "a:One"], "Resource": ["r2", "r1"],
                            "Condition": {"StringEquals": {"k2": ["v"], "k1": ["y", "x"]}}},
                           {"Effect": "Allow", "Action": "c:Three", "Resource": "*"}]}
            """);
        SortedSet<String> grants = new TreeSet<>();
        grants(doc, grants);
        String x = " if {\"StringEquals\":{\"k1\":\"x\",\"k2\":\"v\"}}";
        String y = " if {\"StringEquals\":{\"k1\":\"y\",\"k2\":\"v\"}}";
        assertThat(grants).containsExactly("Allow a:One on r1" + x, "Allow a:One on r1" + y, "Allow a:One on r2" + x,
                "Allow a:One on r2" + y, "Allow b:Two on r1" + x, "Allow b:Two on r1" + y, "Allow b:Two on r2" + x,
                "Allow b:Two on r2" + y, "Allow c:Three on *");
    }

    @Test
    void theValuesOfANegatedOrSetOperator_stayTogether_sinceAllOfThemMustHold() throws Exception {
        JsonNode doc = JSON.readTree("""
            {"Statement": {"Effect": "Allow", "Action": "a:One", "Resource": "*",
                           "Condition": {"StringNotEquals": {"k": ["x", "y"]}, "ForAllValues:StringEquals": {"t": ["a", "b"]}}}}
            """);
        SortedSet<String> grants = new TreeSet<>();
        grants(doc, grants);
        assertThat(grants).containsExactly(
                "Allow a:One on * if {\"ForAllValues:StringEquals\":{\"t\":[\"a\",\"b\"]},\"StringNotEquals\":{\"k\":[\"x\",\"y\"]}}");
    }

    /** {"default": {role: [grant...]}, "<variant>": {only the roles whose grants differ from default}}. */
    private static ObjectNode current() throws Exception {
        SamTemplate template = SamTemplate.read(SamTemplate.locate(Path.of("")));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        SortedMap<String, SortedSet<String>> base = byRole(TemplatePolicies.forReport(template, "vprofile"));
        out.set("default", toJson(base));
        for (Map.Entry<String, Map<String, String>> v : new TreeMap<>(VARIANTS).entrySet()) {
            SortedMap<String, SortedSet<String>> roles = byRole(TemplatePolicies.forReport(template, "vprofile", v.getValue()));
            roles.entrySet().removeIf(e -> e.getValue().equals(base.get(e.getKey())));
            out.set(v.getKey(), toJson(roles));
        }
        return out;
    }

    private static SortedMap<String, SortedSet<String>> byRole(List<TemplatePolicies.Role> roles) {
        SortedMap<String, SortedSet<String>> out = new TreeMap<>();
        for (TemplatePolicies.Role role : roles) {
            SortedSet<String> grants = new TreeSet<>();
            role.policies().values().forEach(doc -> grants(doc, grants));
            out.put(role.logicalId(), grants);
        }
        return out;
    }

    /** Each statement of a policy document as single grants. NotAction and NotResource lists stay whole (not a union). */
    static void grants(JsonNode document, SortedSet<String> into) {
        JsonNode statements = document.path("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) statements.forEach(list::add); else list.add(statements);
        for (JsonNode st : list) {
            List<String> actions = st.has("NotAction") ? List.of("NOT " + sorted(st.get("NotAction"))) : texts(st.path("Action"));
            List<String> resources = st.has("NotResource") ? List.of("NOT " + sorted(st.get("NotResource"))) : texts(st.path("Resource"));
            List<String> conditions = new ArrayList<>();
            if (st.has("Condition") && !st.get("Condition").isEmpty()) {
                for (JsonNode c : alternatives(st.get("Condition"))) conditions.add(" if " + canonical(c));
            } else {
                conditions.add("");
            }
            for (String a : actions) for (String r : resources) for (String c : conditions) {
                into.add(st.path("Effect").asText() + " " + a + " on " + r + c);
            }
        }
    }

    /**
     * A condition as the conditions it is the union of: for an operator that matches when the key equals or matches
     * any one of its values (StringEquals, StringLike, ArnEquals, ArnLike, their IgnoreCase and IfExists forms, not
     * the set operators ForAllValues/ForAnyValue and not the negated ones, whose values all must hold), a key with
     * several values allows what one statement per value allows (IAM user guide, "Creating a condition with multiple
     * keys or values": the values of one key are ORed, keys and operators ANDed).
     */
    static List<JsonNode> alternatives(JsonNode condition) {
        List<ObjectNode> out = new ArrayList<>();
        out.add(JsonNodeFactory.instance.objectNode());
        for (Map.Entry<String, JsonNode> op : condition.properties()) {
            boolean orOfValues = op.getKey().matches("(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)(IfExists)?");
            for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
                List<JsonNode> values = new ArrayList<>();
                if (orOfValues && key.getValue().isArray()) key.getValue().forEach(values::add); else values.add(key.getValue());
                List<ObjectNode> next = new ArrayList<>();
                for (ObjectNode partial : out) {
                    for (JsonNode v : values) {
                        ObjectNode c = partial.deepCopy();
                        c.with(op.getKey()).set(key.getKey(), v);
                        next.add(c);
                    }
                }
                out = next;
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) node.forEach(n -> out.add(n.asText())); else if (!node.isMissingNode()) out.add(node.asText());
        return out;
    }

    private static String sorted(JsonNode node) {
        return new TreeSet<>(texts(node)).toString();
    }

    /** Keys sorted, value lists sorted, a one-value list written as its value (IAM reads both alike). */
    private static String canonical(JsonNode condition) {
        return canonicalNode(condition).toString();
    }

    private static JsonNode canonicalNode(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            new TreeMap<>(node.properties().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                    .forEach((k, v) -> o.set(k, canonicalNode(v)));
            return o;
        }
        if (node.isArray()) {
            if (node.size() == 1) return canonicalNode(node.get(0));
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            new TreeSet<>(texts(node)).forEach(a::add);
            return a;
        }
        return node;
    }

    private static ObjectNode toJson(SortedMap<String, SortedSet<String>> roles) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        roles.forEach((role, grants) -> {
            ArrayNode a = o.putArray(role);
            grants.forEach(a::add);
        });
        return o;
    }

    private static void compare(String where, JsonNode expected, JsonNode actual, List<String> out) {
        TreeSet<String> names = new TreeSet<>();
        expected.fieldNames().forEachRemaining(names::add);
        actual.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode e = expected.path(name);
            JsonNode a = actual.path(name);
            if (e.isObject() || a.isObject()) {
                compare(where + name + "/", e, a, out);
                continue;
            }
            TreeSet<String> lost = new TreeSet<>(texts(e));
            TreeSet<String> gained = new TreeSet<>(texts(a));
            lost.removeAll(texts(a));
            gained.removeAll(texts(e));
            lost.forEach(g -> out.add(where + name + ": - " + g));
            gained.forEach(g -> out.add(where + name + ": + " + g));
        }
    }
}
