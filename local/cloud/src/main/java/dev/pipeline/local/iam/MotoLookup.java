package dev.pipeline.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.MotoForwarder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what an authorization needs from moto, as the operator (not as the caller): resource tags, an instance
 * profile's role, an Auto Scaling group's ARN, a launch template's profile. One instance per request: answers are
 * cached for that request only, so a decision never rests on stale tags.
 */
final class MotoLookup implements Authorizations.Lookup {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MotoForwarder moto;
    private final String region;
    private final boolean readTags;
    private final Map<String, Map<String, String>> tags = new HashMap<>();
    private final Map<String, GatewayResponse> launchTemplateVersions = new HashMap<>();
    private final java.util.function.Function<String, String> codeDeployGroups;

    /**
     * @param readTags false when the policies the request is put to name no resource-tag key: the tags could not
     *                 change the decision, so {@link #tags} answers none without asking moto
     */
    MotoLookup(MotoForwarder moto, String region, boolean readTags) {
        this(moto, region, readTags, id -> null);
    }

    /** @param codeDeployGroups a local CodeDeploy deployment's group ("APP/GROUP"), or null (the gateway holds them, not moto) */
    MotoLookup(MotoForwarder moto, String region, boolean readTags, java.util.function.Function<String, String> codeDeployGroups) {
        this.moto = moto;
        this.region = region;
        this.readTags = readTags;
        this.codeDeployGroups = codeDeployGroups;
    }

    @Override
    public String deploymentGroupOf(String deploymentId) {
        return deploymentId == null || deploymentId.isEmpty() ? null : codeDeployGroups.apply(deploymentId);
    }

    /**
     * Whether any of {@code policies} could read a resource's tags: a condition key (or policy variable) of the
     * {@code aws:ResourceTag/}, {@code ec2:ResourceTag/}, {@code ssm:ResourceTag/}... family. Searched in the
     * whole text, so a mention anywhere (even a Sid) counts: it may only read tags that are not needed.
     */
    static boolean readsResourceTags(List<JsonNode> policies) {
        for (JsonNode p : policies) {
            if (p.toString().toLowerCase(Locale.ROOT).contains("resourcetag")) return true;
        }
        return false;
    }

    @Override
    public Map<String, String> tags(String arn) throws IOException, InterruptedException {
        if (!readTags) return Map.of();
        Map<String, String> cached = tags.get(arn);
        if (cached != null) return cached;
        Map<String, String> t = fetchTags(arn);
        tags.put(arn, t);
        return t;
    }

    private Map<String, String> fetchTags(String arn) throws IOException, InterruptedException {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || arn.contains("*")) return Map.of();
        String service = parts[2];
        String resource = parts[5];
        switch (service) {
            case "ec2" -> {
                String id = resource.substring(resource.indexOf('/') + 1);
                GatewayResponse r = query("ec2", "DescribeTags", "2016-11-15",
                        Map.of("Filter.1.Name", "resource-id", "Filter.1.Value.1", id));
                return parseTags(r);
            }
            case "elasticloadbalancing" -> {
                GatewayResponse r = query("elasticloadbalancing", "DescribeTags", "2015-12-01", Map.of("ResourceArns.member.1", arn));
                return parseTags(r);
            }
            case "autoscaling" -> {
                String name = resource.replaceFirst(".*autoScalingGroupName/", "");
                GatewayResponse r = query("autoscaling", "DescribeTags", "2011-01-01",
                        Map.of("Filters.member.1.Name", "auto-scaling-group", "Filters.member.1.Values.member.1", name));
                return parseTags(r);
            }
            case "ssm" -> {
                if (!resource.startsWith("parameter/")) return Map.of();
                String name = "/" + resource.substring("parameter/".length());
                GatewayResponse r = json("ssm", "AmazonSSM.ListTagsForResource",
                        "{\"ResourceType\":\"Parameter\",\"ResourceId\":" + JSON.writeValueAsString(name) + "}");
                Map<String, String> out = new LinkedHashMap<>();
                if (r.ok()) JSON.readTree(r.body()).path("TagList").forEach(t -> out.put(t.path("Key").asText(), t.path("Value").asText()));
                return out;
            }
            default -> {
                return Map.of();
            }
        }
    }

    /** Tags from an XML answer: every item/member element with a Key (key) and Value (value) child, in either order. */
    static Map<String, String> parseTags(GatewayResponse r) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!r.ok()) return out;
        try {
            var f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
            var doc = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(r.body()));
            for (String tag : new String[] {"item", "member"}) {
                var nodes = doc.getElementsByTagName(tag);
                for (int i = 0; i < nodes.getLength(); i++) {
                    String k = null, v = null;
                    for (var c = nodes.item(i).getFirstChild(); c != null; c = c.getNextSibling()) {
                        if (c.getNodeName().equalsIgnoreCase("key")) k = c.getTextContent();
                        if (c.getNodeName().equalsIgnoreCase("value")) v = c.getTextContent();
                    }
                    if (k != null && v != null) out.put(k, v);
                }
            }
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("unreadable tags from moto: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public String roleOfProfile(String profile) throws IOException, InterruptedException {
        String name = profile.replaceFirst("^arn:aws:iam::\\d+:instance-profile/(.*/)?", "");
        GatewayResponse r = query("iam", "GetInstanceProfile", "2010-05-08", Map.of("InstanceProfileName", name));
        if (!r.ok()) return null;
        Matcher m = Pattern.compile("<RoleName>([^<]+)</RoleName>").matcher(r.bodyText());
        return m.find() ? m.group(1) : null;
    }

    @Override
    public String autoScalingGroupArn(String name) throws IOException, InterruptedException {
        if (name == null) return null;
        GatewayResponse r = query("autoscaling", "DescribeAutoScalingGroups", "2011-01-01",
                Map.of("AutoScalingGroupNames.member.1", name));
        Matcher m = Pattern.compile("<AutoScalingGroupARN>([^<]+)</AutoScalingGroupARN>").matcher(r.bodyText());
        return r.ok() && m.find() ? m.group(1) : null;
    }

    @Override
    public String profileOfLaunchTemplate(String id, String version) throws IOException, InterruptedException {
        GatewayResponse r = launchTemplateVersion(id, version);
        if (!r.ok()) return null;
        Matcher m = Pattern.compile("<iamInstanceProfile>\\s*(?:<arn>([^<]+)</arn>)?\\s*(?:<name>([^<]+)</name>)?").matcher(r.bodyText());
        if (!m.find()) return null;
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    @Override
    public Map<String, Map<String, String>> tagSpecificationsOfLaunchTemplate(String id, String version) throws IOException, InterruptedException {
        GatewayResponse r = launchTemplateVersion(id, version);
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (!r.ok()) return out;
        Matcher block = Pattern.compile("<tagSpecificationSet>(.*?)</tagSpecificationSet>", Pattern.DOTALL).matcher(r.bodyText());
        if (!block.find()) return out;
        Matcher spec = Pattern.compile("<resourceType>([^<]+)</resourceType>\\s*<tagSet>(.*?)</tagSet>", Pattern.DOTALL).matcher(block.group(1));
        while (spec.find()) {
            Map<String, String> tags = out.computeIfAbsent(spec.group(1), k -> new LinkedHashMap<>());
            Matcher tag = Pattern.compile("<key>([^<]*)</key>\\s*<value>([^<]*)</value>").matcher(spec.group(2));
            while (tag.find()) tags.put(tag.group(1), tag.group(2));
        }
        return out;
    }

    /**
     * A launch template version as moto describes it, asked once per request (this lookup lives for one request):
     * a launch template given to Auto Scaling needs both its instance profile and its tag specifications.
     */
    private GatewayResponse launchTemplateVersion(String id, String version) throws IOException, InterruptedException {
        String v = version == null ? "$Default" : version;
        GatewayResponse cached = launchTemplateVersions.get(id + "@" + v);
        if (cached != null) return cached;
        GatewayResponse r = query("ec2", "DescribeLaunchTemplateVersions", "2016-11-15",
                Map.of("LaunchTemplateId", id, "LaunchTemplateVersion.1", v));
        launchTemplateVersions.put(id + "@" + v, r);
        return r;
    }

    @Override
    public boolean roleExists(String name) throws IOException, InterruptedException {
        return query("iam", "GetRole", "2010-05-08", Map.of("RoleName", name)).ok();
    }

    private GatewayResponse query(String service, String action, String version, Map<String, String> params)
            throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", action);
        form.put("Version", version);
        form.putAll(params);
        return moto.send("POST", "/", headers(service, "application/x-www-form-urlencoded; charset=utf-8", null),
                AwsRequest.encodeForm(form).getBytes(StandardCharsets.UTF_8));
    }

    private GatewayResponse json(String service, String target, String body) throws IOException, InterruptedException {
        return moto.send("POST", "/", headers(service, "application/x-amz-json-1.1", target), body.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, String> headers(String service, String contentType, String target) {
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "AWS4-HMAC-SHA256 Credential=local-iam-evaluator/20200101/" + region + "/" + service
                + "/aws4_request, SignedHeaders=host, Signature=0");
        h.put("Content-Type", contentType);
        if (target != null) h.put("X-Amz-Target", target);
        return h;
    }

    static JsonNode readJson(byte[] b) throws IOException { return JSON.readTree(b); }
}
