package dev.pipeline.template;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.local.deploy.SamTemplate;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** template.yaml and the ASL files agree with the code: what sam deploy would only find out in the cloud. */
class TemplateTest {
    private static final SamTemplate TEMPLATE = read();

    private static SamTemplate read() {
        try {
            return SamTemplate.read(SamTemplate.locate(Path.of("")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyHandler_isAClassInThisJar_thatTheLambdaRuntimeCanBuildAndCall() throws Exception {
        List<String> problems = new ArrayList<>();
        for (SamTemplate.Function f : TEMPLATE.functions()) {
            try {
                Class<?> c = Class.forName(f.handlerClass());
                if (!RequestStreamHandler.class.isAssignableFrom(c)) problems.add(f.logicalId() + ": not a RequestStreamHandler");
                c.getConstructor(); // the Lambda runtime needs a public no-arg constructor
                if (!f.handler().endsWith("::handleRequest")) problems.add(f.logicalId() + ": handler method is not handleRequest");
            } catch (ClassNotFoundException e) {
                problems.add(f.logicalId() + ": no class " + f.handlerClass());
            } catch (NoSuchMethodException e) {
                problems.add(f.logicalId() + ": no public no-arg constructor");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(TEMPLATE.functions()).hasSizeGreaterThan(10);
    }

    /** LogFormat and level are said once, in Globals; each function names its own log group (SAM merges the two). */
    @Test
    void everyFunction_logsJsonAtInfo_toItsOwnLogGroup() {
        for (SamTemplate.Function f : TEMPLATE.functions()) {
            JsonNode logging = TEMPLATE.properties(f.logicalId()).path("LoggingConfig");
            String group = f.logicalId().replaceFirst("Function$", "") + "LogGroup";
            assertThat(logging.path("LogFormat").asText()).as(f.logicalId()).isEqualTo("JSON");
            assertThat(logging.path("ApplicationLogLevel").asText()).as(f.logicalId()).isEqualTo("INFO");
            assertThat(logging.path("LogGroup").asText()).as(f.logicalId()).isEqualTo(group);
            assertThat(TEMPLATE.resourceType(group)).as(group).isEqualTo("AWS::Logs::LogGroup");
        }
    }

    @Test
    void everyPlaceholderInTheAsl_isSubstituted_andEverySubstitutionIsUsed() throws Exception {
        assertThat(TEMPLATE.stateMachines()).extracting(SamTemplate.StateMachine::logicalId)
                .contains("ProvisionStateMachine", "TeardownStateMachine");
        for (SamTemplate.StateMachine sm : TEMPLATE.stateMachines()) {
            String asl = Files.readString(sm.definition());
            List<String> used = SamTemplate.placeholders(asl);
            assertThat(sm.substitutions().keySet()).as(sm.logicalId() + " substitutions").containsExactlyInAnyOrderElementsOf(used);
            for (Map.Entry<String, String> s : sm.substitutions().entrySet()) {
                assertThat(TEMPLATE.resourceType(s.getValue())).as(s.getKey() + " refers to a resource").isNotNull();
            }
        }
    }

    @Test
    void everyFunctionAStateMachineCalls_isInItsInvokePolicy() {
        for (SamTemplate.StateMachine sm : TEMPLATE.stateMachines()) {
            JsonNode policies = TEMPLATE.root().path("Resources").path(sm.logicalId()).path("Properties").path("Policies");
            List<String> invokable = new ArrayList<>();
            policies.forEach(p -> {
                if (p.has("LambdaInvokePolicy")) invokable.add(p.path("LambdaInvokePolicy").path("FunctionName").asText());
            });
            for (String fn : sm.substitutions().values()) {
                if ("AWS::Serverless::Function".equals(TEMPLATE.resourceType(fn))) {
                    assertThat(invokable).as(sm.logicalId() + " may invoke " + fn).contains(fn);
                }
            }
        }
    }

    @Test
    void aslFiles_areJson_withEveryNextPointingAtAState() throws Exception {
        for (SamTemplate.StateMachine sm : TEMPLATE.stateMachines()) {
            JsonNode asl = dev.pipeline.functions.JsonHandler.JSON.readTree(Files.readString(sm.definition()));
            JsonNode states = asl.path("States");
            assertThat(states.has(asl.path("StartAt").asText())).isTrue();
            List<String> targets = new ArrayList<>();
            collectTargets(states, targets);
            for (String t : targets) assertThat(states.has(t)).as(sm.logicalId() + ": " + t + " exists").isTrue();
        }
    }

    private static void collectTargets(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if ((e.getKey().equals("Next") || e.getKey().equals("Default")) && e.getValue().isTextual()) into.add(e.getValue().asText());
                else collectTargets(e.getValue(), into);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectTargets(n, into));
        }
    }

    @Test
    void noSecurityGroupRuleOrPolicyInTheTemplate_grantsAWildcardAction() {
        List<String> wildcard = new ArrayList<>();
        collectActions(TEMPLATE.root().path("Resources"), "", wildcard);
        assertThat(wildcard).as("actions like ec2:* or *").isEmpty();
    }

    private static void collectActions(JsonNode node, String path, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("Action")) {
                    List<JsonNode> actions = new ArrayList<>();
                    if (e.getValue().isArray()) e.getValue().forEach(actions::add); else actions.add(e.getValue());
                    for (JsonNode a : actions) {
                        // s3:* appears only in the bucket policy's Deny of insecure transport, which is a deny
                        if (a.asText().endsWith("*") && !path.contains("ArtifactBucketPolicy")) into.add(path + ": " + a.asText());
                    }
                } else {
                    collectActions(e.getValue(), path + "/" + e.getKey(), into);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) collectActions(node.get(i), path + "[" + i + "]", into);
        }
    }

    /**
     * ValidateSpec's preflight accepts a missing service-linked role only for the services listed in its
     * CREATABLE_SERVICE_LINKED_ROLES; that list must be exactly the services some function may create a role for.
     */
    @Test
    void creatableServiceLinkedRoles_ofThePreflight_areExactlyTheOnesTheTemplateGrants() {
        java.util.Set<String> granted = new java.util.TreeSet<>();
        TEMPLATE.root().path("Resources").forEach(r -> r.path("Properties").path("Policies").forEach(policy ->
                policy.path("Statement").forEach(st -> {
                    JsonNode actions = st.path("Action");
                    boolean creates = actions.isArray() ? java.util.stream.StreamSupport.stream(actions.spliterator(), false)
                            .anyMatch(a -> a.asText().equals("iam:CreateServiceLinkedRole"))
                            : actions.asText().equals("iam:CreateServiceLinkedRole");
                    String service = st.path("Condition").path("StringEquals").path("iam:AWSServiceName").asText("");
                    if (creates && !service.isEmpty()) granted.add(service);
                })));
        String listed = TEMPLATE.root().path("Resources").path("ValidateSpecFunction").path("Properties")
                .path("Environment").path("Variables").path("CREATABLE_SERVICE_LINKED_ROLES").asText();

        assertThat(new java.util.TreeSet<>(dev.pipeline.provision.spec.ValidateSpecHandler.creatableRoles(listed)))
                .isEqualTo(granted).contains("elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com");
    }
}
