package dev.pipeline.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;
import dev.pipeline.local.iam.PolicyEvaluator.Check;
import dev.pipeline.local.iam.PolicyEvaluator.Decision;
import dev.pipeline.local.iam.PolicyEvaluator.Result;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IAM as AWS evaluates it, for requests signed by a role's session ({@link RoleCredentials}): every question the
 * request asks ({@link Authorizations}) is put to the role's policies ({@link PolicyEvaluator}) before any other
 * interceptor or moto sees the request. A denial answers in the service's own error shape, worded as AWS words it.
 * The operator's keys (tests, CLI) are an administrator's and pass unchecked. Modes: enforce (default), soft (log
 * the would-be denial and let the request through), off.
 *
 * <p>The role's policies are read from the local cloud's IAM (its inline policies; {@code LocalDeployment} puts
 * the template's policies there), cached until an IAM write passes through the gateway or the cloud is reset.
 * Every decision is recorded for {@code ./pipeline iam report}.
 */
public final class IamEnforcement implements Interceptor {
    private static final Logger LOG = Logger.getLogger(IamEnforcement.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KEY_IN_AUTH = Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/");
    private static final Pattern KEY_IN_QUERY = Pattern.compile("(?:^|&)X-Amz-Credential=([^&]+)");
    /** The condition keys whose values the gateway puts in every request context where they apply. */
    private static final List<String> MODELLED_KEYS = List.of(
            "aws:requesttag/", "aws:resourcetag/", "aws:tagkeys", "ec2:createaction", "ec2:resourcetag/",
            "iam:passedtoservice", "iam:awsservicename", "ssm:resourcetag/", "autoscaling:resourcetag/",
            "elasticloadbalancing:resourcetag/", "route53:changeresourcerecordsetsactions",
            "route53:changeresourcerecordsetsnormalizedrecordnames", "route53:changeresourcerecordsetsrecordtypes",
            "cloudwatch:namespace");

    public enum Mode { ENFORCE, SOFT, OFF;
        /** From {@code -Dpipeline.iam} or {@code PIPELINE_IAM} (enforce, soft, off); enforce when unset. */
        public static Mode configured() {
            String v = System.getProperty("pipeline.iam", System.getenv().getOrDefault("PIPELINE_IAM", "enforce"));
            return Mode.valueOf(v.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** One decision, for the report. */
    public record Use(String role, String action, String resource, String decision, String detail) {}

    private final IamReference ref = IamReference.get();
    private final PolicyEvaluator evaluator = new PolicyEvaluator(IamEnforcement::modelledKey);
    /**
     * For resources whose tags the gateway cannot read: the local CodeDeploy keeps no tags, yet the SAR lists
     * aws:ResourceTag/* for its application and deploymentgroup types; a statement that applies and names a
     * resource-tag key is then "not modelled" rather than judged on tags assumed absent.
     */
    private final PolicyEvaluator untaggedEvaluator = new PolicyEvaluator(
            k -> modelledKey(k) && !k.startsWith("aws:resourcetag/") && !k.contains(":resourcetag/"));
    private volatile java.util.function.Function<String, String> codeDeployGroups = id -> null;
    private final Map<String, List<JsonNode>> policies = new ConcurrentHashMap<>();
    private final Set<Use> uses = new ConcurrentSkipListSet<>(
            java.util.Comparator.comparing(Use::role).thenComparing(Use::action).thenComparing(Use::resource)
                    .thenComparing(Use::decision));
    private volatile Mode mode;

    public IamEnforcement(Mode mode) {
        this.mode = mode;
    }

    public Mode mode() { return mode; }

    /** Where a CodeDeploy deployment's group ("APP/GROUP") is found: the local CodeDeploy, which holds its deployments. */
    public void codeDeployGroups(java.util.function.Function<String, String> groupOfDeployment) {
        this.codeDeployGroups = groupOfDeployment;
    }

    /** Whether the check is on a CodeDeploy application or deployment group, whose tags the gateway cannot read. */
    private static boolean untagged(Check c) {
        return c.resource().startsWith("arn:aws:codedeploy:")
                && (c.resource().contains(":application:") || c.resource().contains(":deploymentgroup:"));
    }

    public void mode(Mode mode) { this.mode = mode; }

    static boolean modelledKey(String key) {
        for (String k : MODELLED_KEYS) {
            if (k.endsWith("/") ? key.startsWith(k) && key.length() > k.length() : key.equals(k)) return true;
        }
        return false;
    }

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (request.protocol() == Protocol.NONE) return null;
        if ("iam".equals(request.service()) && !request.operation().startsWith("Get") && !request.operation().startsWith("List")) {
            policies.clear(); // a policy may have changed
        }
        if (mode == Mode.OFF) return null;
        String[] keyAndRegion = keyAndRegion(request);
        if (keyAndRegion == null) return null;
        Optional<String> role = RoleCredentials.roleOf(keyAndRegion[0]);
        if (role.isEmpty()) return null;
        String region = keyAndRegion[1];

        Denial denial = decide(role.get(), request, moto, region);
        if (denial == null) return null;
        if (mode == Mode.SOFT) {
            LOG.warning("IAM (soft): would deny " + request.key() + ": " + denial.message);
            return null;
        }
        return denial(request, denial);
    }

    /** Lambda's Invoke is answered by the gateway before other interceptors; IAM judges it first all the same. */
    @Override
    public boolean authorizesInvoke() { return true; }

    private record Denial(String code, String message) {}

    private Denial decide(String role, AwsRequest request, MotoForwarder moto, String region) throws IOException, InterruptedException {
        String principal = "arn:aws:sts::" + LocalCloud.ACCOUNT_ID + ":assumed-role/" + role + "/" + role;
        List<JsonNode> docs = policiesOf(role, moto, region); // first: whether the request's resource tags are read depends on them
        List<Check> checks;
        try {
            checks = new Authorizations(ref, new MotoLookup(moto, region, MotoLookup.readsResourceTags(docs), codeDeployGroups), region, LocalCloud.ACCOUNT_ID).of(request);
        } catch (NotModelledException e) {
            String action = ref.actionsOf(Authorizations.opKey(request)).map(List::getFirst).orElse(request.service() + ":" + request.operation());
            uses.add(new Use(role, action, "*", Decision.NOT_MODELLED.name(), e.getMessage()));
            return new Denial(null, notModelled(principal, action, "*", e.getMessage()));
        }
        Denial first = null;
        for (Check c : checks) {
            Result r = untagged(c) ? untaggedEvaluator.evaluate(docs, c) : evaluator.evaluate(docs, c);
            if (r.decision() == Decision.NOT_MODELLED && untagged(c) && r.detail() != null && r.detail().toLowerCase(Locale.ROOT).contains("resourcetag/")) {
                r = new Result(Decision.NOT_MODELLED, r.detail() + " on a CodeDeploy resource (the local CodeDeploy keeps no tags)");
            }
            uses.add(new Use(role, c.action(), c.resource(), r.decision().name(), r.detail()));
            if (r.allowed() || first != null) continue;
            String message = switch (r.decision()) {
                case EXPLICIT_DENY -> "User: " + principal + " is not authorized to perform: " + c.action() + " on resource: "
                        + c.resource() + " with an explicit deny in an identity-based policy";
                case NOT_MODELLED -> notModelled(principal, c.action(), c.resource(), r.detail());
                default -> "User: " + principal + " is not authorized to perform: " + c.action() + " on resource: "
                        + c.resource() + " because no identity-based policy allows the " + c.action() + " action";
            };
            first = new Denial(null, launchTemplateDenial(request, c) + message);
        }
        if (first == null) first = missingObject(role, principal, docs, checks, request, moto);
        return first;
    }

    /**
     * S3 answers a GET or HEAD of an object that does not exist with 404 only to a caller who may also
     * {@code s3:ListBucket} the bucket, and with 403 AccessDenied to any other (Amazon S3 API reference, GetObject
     * and HeadObject, "Permissions": "If the object you request doesn't exist, the error that Amazon S3 returns
     * depends on whether you also have the s3:ListBucket permission"). moto answers 404 to everyone, so a stage that
     * tells "missing" from "refused" would pass here and fail on AWS. The object is looked up only for a role's
     * GET or HEAD the policies allow; {@code s3:ListBucket} is judged (and counted as used) only when it is missing.
     */
    private Denial missingObject(String role, String principal, List<JsonNode> docs, List<Check> checks, AwsRequest request,
                                 MotoForwarder moto) throws IOException, InterruptedException {
        if (!"s3".equals(request.service()) || !Set.of("GetObject", "HeadObject").contains(request.operation())) return null;
        Check read = checks.stream().filter(c -> c.action().equals("s3:GetObject") || c.action().equals("s3:GetObjectVersion"))
                .findFirst().orElse(null);
        if (read == null) return null;
        String versionId = request.queryParams().get("versionId");
        Map<String, String> headers = new HashMap<>();
        String host = request.header("host");
        if (host != null) headers.put("Host", host);
        headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=local-iam-evaluator/20200101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0");
        GatewayResponse head = moto.send("HEAD", request.path() + (versionId == null ? "" : "?versionId=" + enc(versionId)), headers, new byte[0]);
        if (head.status() != 404) return null;
        String bucketArn = read.resource().substring(0, read.resource().indexOf('/'));
        Check list = new Check("s3:ListBucket", bucketArn, Map.of());
        Result r = evaluator.evaluate(docs, list);
        uses.add(new Use(role, list.action(), list.resource(), r.decision().name(),
                "asked because " + read.resource().substring("arn:aws:s3:::".length()) + " does not exist"));
        if (r.allowed()) return null;
        return new Denial(null, "User: " + principal + " is not authorized to perform: s3:ListBucket on resource: " + bucketArn
                + " because no identity-based policy allows the s3:ListBucket action (the object does not exist, and S3 says so"
                + " only to a caller who may list the bucket)");
    }

    /**
     * Auto Scaling words a denial of what a launch template needs (ec2:RunInstances, ec2:CreateTags, iam:PassRole)
     * as "You are not authorized to use launch template: ID" (Amazon EC2 Auto Scaling user guide, troubleshooting,
     * "You are not authorized to use launch template (insufficient IAM permissions)"); the IAM detail follows.
     */
    private static String launchTemplateDenial(AwsRequest request, Check c) {
        if (!"autoscaling".equals(request.service()) || c.action().startsWith("autoscaling:")
                || c.action().equals("iam:CreateServiceLinkedRole")) return "";
        Map<String, String> p = request.formParams();
        String lt = p.getOrDefault("LaunchTemplate.LaunchTemplateId", p.getOrDefault("DesiredConfiguration.LaunchTemplate.LaunchTemplateId", ""));
        return "You are not authorized to use launch template: " + lt + ". ";
    }

    private static String notModelled(String principal, String action, String resource, String what) {
        return "User: " + principal + " is not authorized to perform: " + action + " on resource: " + resource
                + " because the local cloud's IAM evaluator does not model " + what + " (not modelled is denied; local/README.md, IAM)";
    }

    /**
     * The error each service answers a denied call with. AWS, "Troubleshoot access denied error messages":
     * "User user is not authorized to perform action on resource because context"
     * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html); EC2 prefixes it with
     * "You are not authorized to perform this operation." and answers UnauthorizedOperation (EC2 API reference,
     * "Error codes").
     */
    private static GatewayResponse denial(AwsRequest request, Denial d) {
        return switch (request.protocol()) {
            case EC2 -> AwsErrors.error(request, 403, "UnauthorizedOperation", "You are not authorized to perform this operation. " + d.message);
            case QUERY -> "sns".equals(request.service())
                    ? AwsErrors.error(request, 403, "AuthorizationError", d.message)
                    : AwsErrors.error(request, 403, "AccessDenied", d.message);
            case REST_XML -> AwsErrors.error(request, 403, "AccessDenied", d.message);
            case JSON -> AwsErrors.error(request, 400, "AccessDeniedException", d.message);
            case REST_JSON, NONE -> AwsErrors.error(request, 403, "AccessDeniedException", d.message);
        };
    }

    /** The role's policy documents, as its inline policies in the local cloud's IAM. */
    private List<JsonNode> policiesOf(String role, MotoForwarder moto, String region) throws IOException, InterruptedException {
        List<JsonNode> cached = policies.get(role);
        if (cached != null) return cached;
        List<JsonNode> docs = new ArrayList<>();
        GatewayResponse names = iam(moto, region, "ListRolePolicies", "RoleName=" + enc(role));
        Matcher m = Pattern.compile("<member>([^<]+)</member>").matcher(names.bodyText());
        while (names.ok() && m.find()) {
            GatewayResponse doc = iam(moto, region, "GetRolePolicy", "RoleName=" + enc(role) + "&PolicyName=" + enc(m.group(1)));
            Matcher d = Pattern.compile("<PolicyDocument>([^<]*)</PolicyDocument>").matcher(doc.bodyText());
            if (doc.ok() && d.find()) {
                String text = d.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
                if (text.startsWith("%7B")) text = URLDecoder.decode(text, StandardCharsets.UTF_8);
                docs.add(JSON.readTree(text));
            }
        }
        policies.put(role, List.copyOf(docs));
        return docs;
    }

    private static GatewayResponse iam(MotoForwarder moto, String region, String action, String params) throws IOException, InterruptedException {
        return moto.send("POST", "/", Map.of(
                "Authorization", "AWS4-HMAC-SHA256 Credential=local-iam-evaluator/20200101/" + region + "/iam/aws4_request, SignedHeaders=host, Signature=0",
                "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                ("Action=" + action + "&Version=2010-05-08&" + params).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The access key id and region of the request's signature, or null when unsigned. */
    static String[] keyAndRegion(AwsRequest request) {
        String auth = request.header("Authorization");
        if (auth != null) {
            Matcher m = KEY_IN_AUTH.matcher(auth);
            if (m.find()) return new String[] {m.group(1), m.group(2)};
        }
        if (request.rawQuery() != null) {
            Matcher m = KEY_IN_QUERY.matcher(request.rawQuery());
            if (m.find()) {
                String[] parts = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8).split("/");
                if (parts.length >= 3) return new String[] {parts[0], parts[2]};
            }
        }
        return null;
    }

    /** Every decision since the last reset, for the report: role, action, resource, decision. */
    public ObjectNode usage() {
        ObjectNode out = JSON.createObjectNode();
        out.put("mode", mode.name().toLowerCase(Locale.ROOT));
        var list = out.putArray("uses");
        for (Use u : uses) {
            ObjectNode o = list.addObject().put("role", u.role()).put("action", u.action()).put("resource", u.resource())
                    .put("decision", u.decision());
            if (u.detail() != null) o.put("detail", u.detail());
        }
        return out;
    }

    /** Forgets cached policies (moto's reset deleted the roles); the usage record survives resets, for the report. */
    @Override
    public void reset() {
        policies.clear();
    }

    public void clearUsage() { uses.clear(); }

    /** With {@code -Dpipeline.iam.usageFile=PATH}, the decisions are written there when the cloud closes (the report reads them). */
    @Override
    public void close() {
        reset();
        String file = System.getProperty("pipeline.iam.usageFile");
        if (file == null || uses.isEmpty()) return;
        try {
            java.nio.file.Path path = java.nio.file.Path.of(file).toAbsolutePath();
            // the documented command writes to the repository's target/, which a build of the modules never creates
            java.nio.file.Files.createDirectories(path.getParent());
            ObjectNode all = java.nio.file.Files.exists(path) ? (ObjectNode) JSON.readTree(path.toFile()) : JSON.createObjectNode();
            var list = all.has("uses") ? (com.fasterxml.jackson.databind.node.ArrayNode) all.get("uses") : all.putArray("uses");
            usage().get("uses").forEach(list::add);
            JSON.writerWithDefaultPrettyPrinter().writeValue(path.toFile(), all);
        } catch (IOException e) {
            LOG.warning("could not write IAM usage to " + file + ": " + e);
        }
    }
}
