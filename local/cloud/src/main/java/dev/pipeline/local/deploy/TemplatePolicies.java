package dev.pipeline.local.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pipeline.local.LocalCloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM roles template.yaml makes and their policies after SAM's expansion, with every intrinsic resolved to the
 * deployed values: each function's execution role ({@code Policies}: inline statements, SAM policy templates,
 * managed policies of the template, {@code !If} on a condition), each state machine's role, and the roles declared
 * as {@code AWS::IAM::Role} (the instance roles). Role names follow SAM's ({@code <stack>-<LogicalId>Role}; SAM
 * adds a random suffix on AWS) and, for declared roles, {@code <stack>-<LogicalId>}.
 */
public final class TemplatePolicies {
    /** A role: name, the service that assumes it, and its policies by name (each a resolved policy document). */
    public record Role(String logicalId, String name, String service, Map<String, JsonNode> policies) {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private static final JsonNode AWS_MANAGED = loadManaged();

    private final SamTemplate template;
    private final String environment;
    private final Map<String, String> refs;

    /** @param refs what each logical id, parameter and {@code X.Arn} resolves to in this deployment */
    TemplatePolicies(SamTemplate template, String environment, Map<String, String> refs) {
        this.template = template;
        this.environment = environment;
        this.refs = refs;
    }

    /**
     * The roles as {@link LocalDeployment} deploys them for {@code environment} with the parameters' defaults, without
     * deploying (for the permissions report).
     */
    public static List<Role> forReport(SamTemplate template, String environment) {
        return forReport(template, environment, Map.of());
    }

    /** As {@link #forReport(SamTemplate, String)}, with template parameters overridden. */
    public static List<Role> forReport(SamTemplate template, String environment, Map<String, String> parameters) {
        Map<String, String> refs = new java.util.HashMap<>();
        template.root().path("Parameters").properties().forEach(p -> {
            if (p.getValue().has("Default")) refs.put(p.getKey(), p.getValue().get("Default").asText());
        });
        refs.putAll(parameters);
        String bucket = LocalDeployment.bucketName(environment);
        refs.put("EnvironmentName", environment);
        refs.put("ArtifactBucket", bucket);
        refs.put("ArtifactBucket.Arn", "arn:aws:s3:::" + bucket);
        refs.put("NotificationTopic", "arn:aws:sns:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":" + environment + "-notifications");
        for (String t : List.of("ReleasesTable:releases", "DeployLockTable:deploy-lock")) {
            String[] kv = t.split(":");
            refs.put(kv[0], environment + "-" + kv[1]);
            refs.put(kv[0] + ".Arn", "arn:aws:dynamodb:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":table/" + environment + "-" + kv[1]);
        }
        for (String role : List.of("AppInstanceRole", "BackendInstanceRole", "CodeDeployServiceRole")) {
            refs.put(role, declaredRoleName(environment, role));
            refs.put(role + ".Arn", "arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/" + declaredRoleName(environment, role));
        }
        for (SamTemplate.Function f : template.functions()) {
            refs.put(f.logicalId(), LocalDeployment.functionName(environment, f.logicalId()));
            refs.put(f.logicalId() + ".Arn", LocalCloud.functionArn(LocalDeployment.functionName(environment, f.logicalId())));
        }
        for (SamTemplate.StateMachine sm : template.stateMachines()) {
            refs.put(sm.logicalId(), "arn:aws:states:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":stateMachine:"
                    + environment + "-" + sm.logicalId().replaceFirst("StateMachine$", "").toLowerCase(java.util.Locale.ROOT));
        }
        return new TemplatePolicies(template, environment, refs).roles();
    }

    public static String functionRoleName(String environment, String logicalId) {
        return environment + "-" + logicalId + "Role";
    }

    public static String declaredRoleName(String environment, String logicalId) {
        return environment + "-" + logicalId;
    }

    /** Every role of the template with its policies. */
    public List<Role> roles() {
        List<Role> out = new ArrayList<>();
        template.root().path("Resources").properties().forEach(e -> {
            String id = e.getKey();
            JsonNode r = e.getValue();
            JsonNode props = template.properties(id);
            switch (r.path("Type").asText()) {
                case "AWS::Serverless::Function" ->
                        out.add(new Role(id, functionRoleName(environment, id), "lambda.amazonaws.com", samPolicies(id, props.path("Policies"))));
                case "AWS::Serverless::StateMachine" ->
                        out.add(new Role(id, functionRoleName(environment, id), "states.amazonaws.com", samPolicies(id, props.path("Policies"))));
                case "AWS::IAM::Role" -> {
                    Map<String, JsonNode> policies = new LinkedHashMap<>();
                    for (JsonNode arn : props.path("ManagedPolicyArns")) attach(arn.asText(), policies);
                    for (JsonNode p : props.path("Policies")) {
                        policies.put(p.path("PolicyName").asText(), resolve(p.path("PolicyDocument")));
                    }
                    String service = props.path("AssumeRolePolicyDocument").path("Statement").path(0).path("Principal").path("Service").asText();
                    out.add(new Role(id, declaredRoleName(environment, id), service, policies));
                }
                default -> { }
            }
        });
        return out;
    }

    /** SAM's Policies: inline documents, policy templates, managed policy ARNs or names, and !If on a condition. */
    private Map<String, JsonNode> samPolicies(String owner, JsonNode list) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode p : list) {
            i++;
            JsonNode item = p;
            // !If [Condition, A, B] reads as a three-element list (the YAML reader drops the tag)
            if (item.isArray() && item.size() == 3) {
                item = condition(item.get(0).asText()) ? item.get(1) : item.get(2);
                if (item.asText().equals("AWS::NoValue")) continue;
            }
            if (item.isTextual()) {
                attach(item.asText(), out);
            } else if (item.has("Statement")) {
                out.put(owner + "Policy" + i, resolve(item));
            } else if (item.has("LambdaInvokePolicy")) {
                // SAM policy template: lambda:InvokeFunction on function:${functionName}* (SAM policy_templates.json)
                String fn = resolveText(item.get("LambdaInvokePolicy").path("FunctionName").asText());
                ObjectNode doc = F.objectNode().put("Version", "2012-10-17");
                doc.putArray("Statement").addObject().put("Effect", "Allow")
                        .put("Resource", "arn:aws:lambda:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":function:" + fn + "*")
                        .putArray("Action").add("lambda:InvokeFunction");
                out.put(owner + "LambdaInvokePolicy" + i, doc);
            } else {
                throw new IllegalStateException(owner + ".Policies: " + item.fieldNames().next()
                        + " is a SAM policy template the local deployment does not expand; add it to TemplatePolicies");
            }
        }
        return out;
    }

    /**
     * A managed policy a role lists: {@code !Ref X} of an {@code AWS::IAM::ManagedPolicy} of the template (its document,
     * named as the local deployment names it), an AWS managed policy's ARN ({@code !Sub 'arn:${AWS::Partition}:...'}),
     * or, in SAM's Policies, an AWS managed policy's bare name.
     */
    private void attach(String name, Map<String, JsonNode> out) {
        JsonNode declared = template.root().path("Resources").path(name);
        if ("AWS::IAM::ManagedPolicy".equals(declared.path("Type").asText())) {
            JsonNode props = declared.path("Properties");
            for (String other : List.of("Roles", "Users", "Groups")) {
                if (props.has(other)) throw new IllegalStateException(name + "." + other + ": the local deployment attaches a "
                        + "managed policy only where a role lists it (Policies, ManagedPolicyArns)");
            }
            out.put(declaredRoleName(environment, name), resolve(props.path("PolicyDocument")));
        } else {
            managed(name.startsWith("arn:") ? resolveText(name) : "arn:aws:iam::aws:policy/" + name, out);
        }
    }

    private void managed(String arn, Map<String, JsonNode> out) {
        JsonNode doc = AWS_MANAGED.path("policies").path(arn);
        if (doc.isMissingNode()) {
            throw new IllegalStateException("AWS managed policy " + arn + " is not in iam/aws-managed-policies.json");
        }
        out.put("aws-managed-" + arn.substring(arn.lastIndexOf('/') + 1), doc);
    }

    private boolean condition(String name) {
        JsonNode c = template.root().path("Conditions").path(name);
        // the template's conditions are !Equals [!Ref Param, 'value'] (or !Not of one); read as ["Param","value"]
        JsonNode eq = c.path("Fn::Equals").isMissingNode() ? c : c.path("Fn::Equals");
        if (eq.isArray() && eq.size() == 2) return resolveText(eq.get(0).asText()).equals(eq.get(1).asText());
        throw new IllegalStateException("condition " + name + " is not one the local deployment can evaluate");
    }

    /** A document with every string resolved: ${...} substitutions, bare references and X.Arn. */
    JsonNode resolve(JsonNode node) {
        if (node.isTextual()) return TextNode.valueOf(resolveText(node.asText()));
        if (node.isArray()) {
            ArrayNode a = F.arrayNode();
            node.forEach(n -> a.add(resolve(n)));
            return a;
        }
        if (node.isObject()) {
            ObjectNode o = F.objectNode();
            node.properties().forEach(e -> o.set(e.getKey(), resolve(e.getValue())));
            return o;
        }
        return node;
    }

    String resolveText(String s) {
        if (s.contains("${")) {
            Matcher m = SUB_VARIABLE.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = m.group(1);
                String r = v.startsWith("!") ? "${" + v.substring(1) + "}" : value(v);
                if (r == null) throw new IllegalStateException("a policy uses ${" + v + "}, which the local deployment does not resolve");
                m.appendReplacement(sb, Matcher.quoteReplacement(r));
            }
            m.appendTail(sb);
            return sb.toString();
        }
        String r = value(s);
        return r == null ? s : r;
    }

    private String value(String name) {
        return switch (name) {
            case "AWS::Region" -> LocalCloud.REGION;
            case "AWS::AccountId" -> LocalCloud.ACCOUNT_ID;
            case "AWS::Partition" -> "aws";
            case "AWS::StackName" -> environment;
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> refs.get(name);
        };
    }

    private static JsonNode loadManaged() {
        try (InputStream in = TemplatePolicies.class.getResourceAsStream("/iam/aws-managed-policies.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
