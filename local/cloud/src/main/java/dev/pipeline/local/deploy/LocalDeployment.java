package dev.pipeline.local.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.iam.RoleCredentials;
import dev.pipeline.local.lambda.FunctionDefinition;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code sam deploy} does, done against the local cloud: the resources template.yaml creates around the
 * workflows (artifact bucket with the template's settings, notification topic, instance roles and profiles, the
 * releases and deploy-lock tables),
 * every function registered with the local Lambda runtime under {@code <env>-<LogicalId>} with its environment
 * resolved, every function's {@code EventBridgeRule} event as a rule named {@code <env>-<LogicalId>-<EventName>}
 * targeting that function, and every state machine created from its ASL file with the template's
 * DefinitionSubstitutions. Idempotent by name: deploying again updates definitions, registrations and rules and
 * creates nothing twice.
 */
public final class LocalDeployment {

    /** Where the functions go: this JVM's runtime, or a local cloud in another process (POST /_local/functions). */
    public interface FunctionRegistry {
        void register(FunctionDefinition function);
    }

    /** What was deployed, by the names the workflows and tests need. */
    public record Deployed(String environment, String bucket, String topicArn, String appInstanceProfile,
                           String backendInstanceProfile, Map<String, String> stateMachineArns,
                           Map<String, String> functionEnvironment) {
        public String stateMachineArn(String logicalId) {
            String arn = stateMachineArns.get(logicalId);
            if (arn == null) throw new IllegalArgumentException("no state machine " + logicalId + " in template.yaml");
            return arn;
        }
    }

    /** A client of a type, pointed at the local cloud. */
    public interface Clients {
        <T extends SdkClient> T get(Class<T> type);
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private static final Map<String, String> PSEUDO_PARAMETERS = Map.of(
            "AWS::Region", LocalCloud.REGION, "AWS::AccountId", LocalCloud.ACCOUNT_ID, "AWS::Partition", "aws",
            "AWS::URLSuffix", "amazonaws.com");

    private final SamTemplate template;
    private final Clients clients;
    private final FunctionRegistry registry;
    private final String endpoint;

    public LocalDeployment(SamTemplate template, Clients clients, FunctionRegistry registry, String endpoint) {
        this.template = template;
        this.clients = clients;
        this.registry = registry;
        this.endpoint = endpoint;
    }

    /** For a local cloud in this JVM. */
    public static LocalDeployment inProcess(LocalCloud cloud, SamTemplate template) {
        return new LocalDeployment(template, cloud::client, cloud::register, cloud.endpoint().toString());
    }

    /** Deploys the template for {@code environment}, with template parameters overridden by {@code parameters}. */
    public Deployed deploy(String environment, Map<String, String> parameters) throws IOException {
        // the parameters first, as CloudFormation checks them before it creates anything
        Map<String, String> parameterValues = new LinkedHashMap<>();
        for (SamTemplate.Parameter p : template.parameters()) if (p.defaultValue() != null) parameterValues.put(p.name(), p.defaultValue());
        parameterValues.put("EnvironmentName", environment);
        parameterValues.putAll(parameters);
        checkParameters(parameterValues);
        String bucket = bucketName(environment);
        createBucket(bucket);
        String topic = clients.get(SnsClient.class).createTopic(b -> b.name(environment + "-notifications")).topicArn();
        String appProfile = instanceProfile(environment + "-app", TemplatePolicies.declaredRoleName(environment, "AppInstanceRole"));
        String backendProfile = instanceProfile(environment + "-backend", TemplatePolicies.declaredRoleName(environment, "BackendInstanceRole"));
        Map<String, String> refs = new HashMap<>();
        // every table of the template, named <env>-<logical id without "Table", in kebab case> (CloudFormation names them on AWS)
        for (SamTemplate.Table t : template.tables()) refs.put(t.logicalId(), table(environment, t));
        refs.put("ArtifactBucket", bucket);
        refs.put("NotificationTopic", topic);
        refs.put("AppInstanceProfile", appProfile);
        refs.put("BackendInstanceProfile", backendProfile);
        refs.put("EnvironmentName", environment);
        parameterValues.forEach(refs::put);
        refs.put("ArtifactBucket.Arn", "arn:aws:s3:::" + bucket);
        for (SamTemplate.Table t : template.tables()) refs.put(t.logicalId() + ".Arn", tableArn(refs.get(t.logicalId())));
        for (String role : List.of("AppInstanceRole", "BackendInstanceRole", "CodeDeployServiceRole")) {
            refs.put(role, TemplatePolicies.declaredRoleName(environment, role));
            refs.put(role + ".Arn", roleArn(TemplatePolicies.declaredRoleName(environment, role)));
        }
        for (SamTemplate.Function f : template.functions()) {
            refs.put(f.logicalId(), functionName(environment, f.logicalId()));
            refs.put(f.logicalId() + ".Arn", LocalCloud.functionArn(functionName(environment, f.logicalId())));
        }
        Map<String, String> machineNames = new LinkedHashMap<>();
        for (SamTemplate.StateMachine sm : template.stateMachines()) {
            String name = environment + "-" + sm.logicalId().replaceFirst("StateMachine$", "").toLowerCase(java.util.Locale.ROOT);
            machineNames.put(sm.logicalId(), name);
            refs.put(sm.logicalId(), stateMachineArn(name));
        }

        // every role with its policies as the template gives them (SAM's expansion), before anything runs as one
        for (TemplatePolicies.Role role : new TemplatePolicies(template, environment, refs).roles()) putRole(role);

        Map<String, String> sharedEnv = new LinkedHashMap<>();
        for (SamTemplate.Function f : template.functions()) {
            Map<String, String> env = new LinkedHashMap<>();
            f.environment().forEach((k, v) -> {
                if (k.equals("JAVA_TOOL_OPTIONS")) return; // JVM flags for the Lambda runtime, not for this JVM
                env.put(k, resolve(f.logicalId(), k, v, refs));
            });
            sharedEnv.putAll(env);
            // the function calls AWS as its execution role, as Lambda's runtime gives it the role's session keys
            env.put("AWS_ACCESS_KEY_ID", RoleCredentials.accessKeyFor(TemplatePolicies.functionRoleName(environment, f.logicalId())));
            env.put("AWS_SECRET_ACCESS_KEY", RoleCredentials.SECRET);
            env.put("AWS_SESSION_TOKEN", RoleCredentials.SESSION_TOKEN);
            registry.register(new FunctionDefinition(functionName(environment, f.logicalId()), f.handlerClass(),
                    f.timeoutSeconds(), env));
        }
        // after the functions: a rule's first event finds its function registered
        for (SamTemplate.EventRule rule : template.eventRules()) eventRule(environment, rule, refs);

        Map<String, String> arns = new LinkedHashMap<>();
        SfnClient sfn = clients.get(SfnClient.class);
        for (SamTemplate.StateMachine sm : template.stateMachines()) {
            Map<String, String> values = new HashMap<>();
            sm.substitutions().forEach((placeholder, logicalId) -> values.put(placeholder,
                    "AWS::Serverless::Function".equals(template.resourceType(logicalId))
                            ? LocalCloud.functionArn(functionName(environment, logicalId))
                            : resolve(sm.logicalId(), placeholder, logicalId, refs)));
            String definition = SamTemplate.substitute(Files.readString(sm.definition()), values);
            String name = machineNames.get(sm.logicalId());
            Optional<StateMachineListItem> existing = sfn.listStateMachinesPaginator(b -> {}).stateMachines().stream()
                    .filter(m -> m.name().equals(name)).findFirst();
            String arn;
            if (existing.isPresent()) {
                arn = existing.get().stateMachineArn();
                sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(definition));
            } else {
                String statesRole = roleArn(TemplatePolicies.functionRoleName(environment, sm.logicalId()));
                arn = sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(statesRole)).stateMachineArn();
            }
            arns.put(sm.logicalId(), arn);
        }
        return new Deployed(environment, bucket, topic, appProfile, backendProfile, arns, sharedEnv);
    }

    /**
     * Refuses parameter values the template's constraints refuse, as CloudFormation does before it creates anything:
     * AllowedPattern (the whole value), AllowedValues, MinValue/MaxValue for numbers, MinLength/MaxLength for strings.
     */
    /** Parameters the local deployment may set outside the template's range: time, which the local cloud compresses. */
    static final java.util.Set<String> LOCAL_ONLY = java.util.Set.of("PollSeconds");

    void checkParameters(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        for (SamTemplate.Parameter p : template.parameters()) {
            String v = values.get(p.name());
            if (v == null) continue; // no value: sam deploy asks for it; the local deployment never needs it
            // the local clock compresses AWS's minutes, so the local stack polls more often than AWS may (local/README.md)
            if (LOCAL_ONLY.contains(p.name()) && !v.equals(p.defaultValue())) continue;
            if (p.allowedPattern() != null && !v.matches(p.allowedPattern())) {
                problems.add(p.name() + " \"" + v + "\" does not match " + p.allowedPattern());
            }
            if (p.allowedValues() != null && !p.allowedValues().contains(v)) problems.add(p.name() + " \"" + v + "\" is not one of " + p.allowedValues());
            if ("Number".equals(p.type())) {
                double n;
                try {
                    n = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    problems.add(p.name() + " \"" + v + "\" is not a number");
                    continue;
                }
                if (p.minValue() != null && n < p.minValue()) problems.add(p.name() + " " + v + " is below its MinValue " + p.minValue());
                if (p.maxValue() != null && n > p.maxValue()) problems.add(p.name() + " " + v + " is above its MaxValue " + p.maxValue());
            }
            if (p.minLength() != null && v.length() < p.minLength()) problems.add(p.name() + " is shorter than " + p.minLength());
            if (p.maxLength() != null && v.length() > p.maxLength()) problems.add(p.name() + " is longer than " + p.maxLength());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("template parameters refused (as CloudFormation would): " + String.join("; ", problems));
        }
    }

    /** The local name of a template table: {@code ReleasesTable} → {@code <env>-releases}. */
    public static String tableName(String environment, String logicalId) {
        String base = logicalId.replaceFirst("Table$", "");
        return environment + "-" + base.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The artifact bucket's local name (on AWS, CloudFormation names it). */
    public static String bucketName(String environment) {
        return environment + "-artifacts-" + LocalCloud.ACCOUNT_ID;
    }

    /** The local name of a template function; state machines call it by this name. */
    public static String functionName(String environment, String logicalId) {
        return environment + "-" + logicalId;
    }

    private String resolve(String where, String key, String value, Map<String, String> refs) {
        // !GetAtt X.Arn where the deployment knows X's ARN (a role's), before X.Arn falls back to X (a function's alias)
        if (refs.containsKey(value)) return refs.get(value);
        String ref = value.replaceFirst("\\.(Arn|Alias)$", "");
        if (refs.containsKey(ref)) return refs.get(ref);
        if (template.names().contains(ref)) {
            throw new IllegalStateException(where + "." + key + " refers to " + ref
                    + ", which the local deployment does not create; add it to LocalDeployment");
        }
        return value;
    }

    /**
     * The local name of the rule of a function's EventBridgeRule event (on AWS, CloudFormation names it). EventBridge
     * allows 64 characters: a longer name is cut and ends in a hash of the whole, so it stays one per event.
     */
    public static String ruleName(String environment, String functionLogicalId, String eventName) {
        String name = environment + "-" + functionLogicalId + "-" + eventName;
        if (name.length() <= 64) return name;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return name.substring(0, 55) + "-" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The rule SAM makes for an EventBridgeRule event: the pattern with its references resolved, the function as
     * its one target. PutRule and PutTargets replace what has the same name and id, so a second deploy converges;
     * targets the template no longer declares are removed (the rule belongs to this deployment).
     */
    private void eventRule(String environment, SamTemplate.EventRule rule, Map<String, String> refs) {
        String where = rule.functionLogicalId() + ".Events." + rule.eventName();
        String name = rule.ruleName() != null ? resolveText(where, "RuleName", rule.ruleName(), refs)
                : ruleName(environment, rule.functionLogicalId(), rule.eventName());
        String bus = rule.eventBusName() == null ? "default" : resolveText(where, "EventBusName", rule.eventBusName(), refs);
        String pattern = resolveTree(where, rule.pattern(), refs).toString();
        Target.Builder target = Target.builder().id(rule.targetId())
                .arn(LocalCloud.functionArn(functionName(environment, rule.functionLogicalId())));
        if (rule.input() != null) target.input(resolveText(where, "Input", rule.input(), refs));
        if (rule.inputPath() != null) target.inputPath(rule.inputPath());

        EventBridgeClient events = clients.get(EventBridgeClient.class);
        events.putRule(b -> b.name(name).eventBusName(bus).eventPattern(pattern).state(rule.state())
                .description("Function " + rule.functionLogicalId() + ", event " + rule.eventName()));
        PutTargetsResponse put = events.putTargets(b -> b.rule(name).eventBusName(bus).targets(target.build()));
        if (put.failedEntryCount() > 0) {
            throw new IllegalStateException(where + ": the rule " + name + " refused its target: "
                    + put.failedEntries().getFirst().errorMessage());
        }
        List<String> stale = events.listTargetsByRule(b -> b.rule(name).eventBusName(bus)).targets().stream()
                .map(Target::id).filter(id -> !id.equals(rule.targetId())).toList();
        if (!stale.isEmpty()) events.removeTargets(b -> b.rule(name).eventBusName(bus).ids(stale));
    }

    /** A pattern with every reference resolved: bare names (a dropped {@code !Ref}), {@code ${...}}, {@code Ref}/{@code Fn::Sub} maps. */
    private JsonNode resolveTree(String where, JsonNode node, Map<String, String> refs) {
        if (node.isTextual()) return TextNode.valueOf(resolveText(where, "Pattern", node.asText(), refs));
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(resolveTree(where, n, refs)));
            return out;
        }
        if (node.isObject()) {
            if (node.size() == 1 && node.path("Ref").isTextual()) return resolveTree(where, node.get("Ref"), refs);
            if (node.size() == 1 && node.path("Fn::Sub").isTextual()) {
                return TextNode.valueOf(sub(where, "Pattern", node.get("Fn::Sub").asText(), refs));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(f -> out.set(f.getKey(), resolveTree(where, f.getValue(), refs)));
            return out;
        }
        return node;
    }

    private String resolveText(String where, String key, String value, Map<String, String> refs) {
        return value.contains("${") ? sub(where, key, value, refs) : resolve(where, key, value, refs);
    }

    /** {@code !Sub}: each ${Name} (a reference or pseudo parameter) replaced; ${!Literal} stays as ${Literal}. */
    private String sub(String where, String key, String value, Map<String, String> refs) {
        Matcher m = SUB_VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String variable = m.group(1);
            String replacement;
            if (variable.startsWith("!")) {
                replacement = "${" + variable.substring(1) + "}";
            } else if (PSEUDO_PARAMETERS.containsKey(variable)) {
                replacement = PSEUDO_PARAMETERS.get(variable);
            } else {
                replacement = resolve(where, key, variable, refs);
                if (replacement.equals(variable)) {
                    throw new IllegalStateException(where + "." + key + " uses ${" + variable
                            + "}, which is neither a template name nor a pseudo parameter");
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String stateMachineArn(String name) {
        return "arn:aws:states:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":stateMachine:" + name;
    }

    /** The bucket as template.yaml makes it: versioned, encrypted, public access blocked, EventBridge on. */
    private void createBucket(String bucket) {
        S3Client s3 = clients.get(S3Client.class);
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // deployed before
        }
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r ->
                r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)).bucketKeyEnabled(true))));
        s3.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(c ->
                c.blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)));
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n ->
                n.eventBridgeConfiguration(e -> {})));
        // template.yaml also denies requests without TLS (aws:SecureTransport): the local cloud speaks plain HTTP
        // and moto enforces that policy, so locally it is left out (local/README.md).
    }

    /**
     * A table as template.yaml declares it (its key schema and attribute types), on-demand, encrypted. Point-in-time recovery is left out
     * locally: nothing here restores, and CloudFormation names the tables itself (these names stand in for that).
     */
    private String table(String environment, SamTemplate.Table table) {
        String name = tableName(environment, table.logicalId());
        DynamoDbClient dynamo = clients.get(DynamoDbClient.class);
        List<AttributeDefinition> attributes = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        for (SamTemplate.Table.Key k : table.keys()) {
            attributes.add(AttributeDefinition.builder().attributeName(k.name()).attributeType(ScalarAttributeType.fromValue(k.attributeType())).build());
            keys.add(KeySchemaElement.builder().attributeName(k.name()).keyType(KeyType.fromValue(k.keyType())).build());
        }
        try {
            dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes).keySchema(keys).sseSpecification(sse -> sse.enabled(true)));
        } catch (ResourceInUseException e) {
            // deployed before
        }
        return name;
    }

    private String instanceProfile(String name, String roleName) {
        IamClient iam = clients.get(IamClient.class);
        ignoreExisting(() -> iam.createInstanceProfile(b -> b.instanceProfileName(name + "-profile")));
        createRole(roleName, "ec2.amazonaws.com");
        ignoreExisting(() -> iam.addRoleToInstanceProfile(b -> b.instanceProfileName(name + "-profile").roleName(roleName)));
        return name + "-profile";
    }

    /** A role of the template in the local cloud's IAM, its policies as inline policies (the gateway evaluates them). */
    private void putRole(TemplatePolicies.Role role) {
        IamClient iam = clients.get(IamClient.class);
        createRole(role.name(), role.service());
        List<String> stale = new ArrayList<>(iam.listRolePolicies(b -> b.roleName(role.name())).policyNames());
        role.policies().forEach((name, doc) -> {
            iam.putRolePolicy(b -> b.roleName(role.name()).policyName(name).policyDocument(doc.toString()));
            stale.remove(name);
        });
        for (String name : stale) iam.deleteRolePolicy(b -> b.roleName(role.name()).policyName(name));
    }

    private void createRole(String roleName, String service) {
        IamClient iam = clients.get(IamClient.class);
        ignoreExisting(() -> iam.createRole(b -> b.roleName(roleName).assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"%s"},"Action":"sts:AssumeRole"}]}"""
                .formatted(service))));
    }

    private static String roleArn(String roleName) {
        return "arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/" + roleName;
    }

    private static String tableArn(String table) {
        return "arn:aws:dynamodb:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":table/" + table;
    }

    private static void ignoreExisting(Runnable call) {
        try {
            call.run();
        } catch (EntityAlreadyExistsException e) {
            // deployed before
        } catch (software.amazon.awssdk.services.iam.model.LimitExceededException e) {
            // a profile holds one role: it is already attached
        }
    }
}
