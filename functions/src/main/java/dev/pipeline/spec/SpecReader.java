package dev.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a parsed JSON tree into an {@link EnvironmentSpec}: checks every field, collects every problem, applies
 * {@link SpecDefaults} to absent fields (the only place defaults are applied), and builds the spec only when
 * nothing is wrong.
 */
final class SpecReader {

    private final List<Problem> problems = new ArrayList<>();

    EnvironmentSpec read(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            throw new InvalidSpecException(List.of(new Problem("$", "empty document; expected a JSON object")));
        }
        if (!root.isObject()) {
            throw new InvalidSpecException(List.of(new Problem("$",
                    "expected a JSON object, got " + JsonFields.describe(root))));
        }
        JsonFields top = new JsonFields(root, "", problems);
        if (!specVersion(top)) {
            // The rest of the document follows rules this build does not know; other problems would be noise.
            throw new InvalidSpecException(problems);
        }

        String name = top.requiredString("name", "the environment name, used in every resource name and tag, "
                + "e.g. \"vprofile\"");
        check(top, "name", name, SpecRules::environmentName);
        String region = top.optionalString("region");
        check(top, "region", region, SpecRules::region);
        Network network = network(top);
        String zone = top.string("privateZone", SpecDefaults.PRIVATE_ZONE);
        check(top, "privateZone", zone, SpecRules::zoneName);
        Map<Role, Instance> instances = instances(top, zone);
        Fleet fleet = fleet(top);
        LoadBalancer loadBalancer = loadBalancer(top, region);
        Artifacts artifacts = artifacts(top);
        Deployment deployment = deployment(top);
        Map<String, String> tags = tags(top);
        top.rejectUnknown();

        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return new EnvironmentSpec(name, Optional.ofNullable(region), network, zone, instances, fleet,
                loadBalancer, artifacts, deployment, tags);
    }

    /** False when the version is one this build cannot read. A missing version is reported, then read as 1. */
    private boolean specVersion(JsonFields top) {
        if (!top.has("specVersion")) {
            top.problem("specVersion", "required: add \"specVersion\": " + EnvironmentSpec.SPEC_VERSION
                    + " so future formats can be told apart");
            return true;
        }
        Integer version = top.optionalInt("specVersion");
        if (version != null && version != EnvironmentSpec.SPEC_VERSION) {
            top.problem("specVersion", "unsupported version " + version + "; this build reads version "
                    + EnvironmentSpec.SPEC_VERSION + " only");
            return false;
        }
        return true;
    }

    private Network network(JsonFields top) {
        JsonFields net = top.object("network", true,
                "the existing VPC and subnets to build in, and the admin CIDR");
        if (net == null) {
            return null;
        }
        String vpcId = net.requiredString("vpcId", "the id of the existing VPC, e.g. vpc-0123456789abcdef0");
        check(net, "vpcId", vpcId, SpecRules::vpcId);
        List<String> publicSubnets = subnets(net, "publicSubnets", 2,
                "an Application Load Balancer needs subnets in at least two Availability Zones");
        List<String> appSubnets = subnets(net, "appSubnets", 1, "the instances need somewhere to run");
        String adminCidr = net.requiredString("adminCidr", "the operator's address range allowed to administer "
                + "the instances, e.g. 203.0.113.10/32; it is never defaulted to the whole internet");
        check(net, "adminCidr", adminCidr, AdminCidr::problem);
        Boolean ssh = net.bool("sshEnabled", SpecDefaults.SSH_ENABLED);
        net.rejectUnknown();
        if (vpcId == null || publicSubnets == null || appSubnets == null || adminCidr == null || ssh == null) {
            return null;
        }
        return new Network(vpcId, publicSubnets, appSubnets, adminCidr, ssh);
    }

    private List<String> subnets(JsonFields net, String field, int minimum, String why) {
        List<String> ids = net.stringList(field, true, "subnet ids; " + why);
        if (ids == null) {
            return null;
        }
        if (ids.size() < minimum) {
            net.problem(field, "needs at least " + minimum + (minimum == 1 ? " subnet" : " subnets") + ": " + why
                    + ", got " + ids.size());
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null) {
                continue;
            }
            String at = net.path(field) + "[" + i + "]";
            Optional<String> bad = SpecRules.subnetId(id);
            if (bad.isPresent()) {
                problems.add(new Problem(at, bad.get()));
            } else if (seen.containsKey(id)) {
                problems.add(new Problem(at, "duplicate of " + net.path(field) + "[" + seen.get(id) + "]"));
            } else {
                seen.put(id, i);
            }
        }
        return ids.contains(null) ? null : ids;
    }

    private Map<Role, Instance> instances(JsonFields top, String zone) {
        JsonFields all = top.object("instances", false, "");
        Map<Role, Instance> out = new EnumMap<>(Role.class);
        // Host names given explicitly, by role, so a clash with another role's default is blamed on the one written.
        Map<Role, JsonFields> written = new EnumMap<>(Role.class);
        Map<Role, String> hostnames = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            JsonFields one = all == null ? null : all.object(role.key(), false, "");
            Instance defaults = SpecDefaults.instance(role);
            if (one == null) {
                out.put(role, defaults);
                defaults.hostname().ifPresent(h -> hostnames.put(role, h));
                continue;
            }
            Optional<String> hostname = Optional.empty();
            if (role.hasPrivateDnsName()) {
                String host = one.string("hostname", defaults.hostname().orElseThrow());
                if (host != null && zone != null && check(one, "hostname", host, SpecRules::hostname)
                        && (host + "." + zone).length() > 253) {
                    one.problem("hostname", "\"" + host + "." + zone + "\" is longer than 253 characters");
                }
                if (host != null) {
                    hostnames.put(role, host);
                    written.put(role, one);
                }
                hostname = Optional.ofNullable(host);
            } else if (one.has("hostname")) {
                one.problem("hostname", "app servers are reached through the load balancer and get no DNS name; "
                        + "hostname applies to db, mc and rmq");
            }
            String ami = one.string("ami", defaults.ami().value());
            check(one, "ami", ami, AmiRef::problem);
            String type = one.string("instanceType", defaults.instanceType());
            check(one, "instanceType", type, SpecRules::instanceType);
            one.rejectUnknown();
            if (ami != null && type != null && (hostname.isPresent() || !role.hasPrivateDnsName())) {
                out.put(role, new Instance(hostname, AmiRef.of(ami), type));
            }
        }
        written.forEach((role, fields) -> hostnames.forEach((other, host) -> {
            if (other != role && host.equals(hostnames.get(role)) && fields.ok("hostname")) {
                fields.problem("hostname", "\"" + host + "\" is also the " + other.key() + " host name"
                        + (written.containsKey(other) ? "" : " (its default)") + "; each backend needs its own DNS record");
            }
        }));
        if (all != null) {
            all.rejectUnknown();
        }
        return out;
    }

    private Fleet fleet(JsonFields top) {
        JsonFields f = top.object("fleet", false, "");
        if (f == null) {
            return top.ok("fleet") ? new Fleet(SpecDefaults.FLEET_MIN, SpecDefaults.FLEET_DESIRED, SpecDefaults.FLEET_MAX) : null;
        }
        int cap = SpecDefaults.FLEET_MAX_CAP;
        Integer min = f.optionalInt("min");
        Integer desired = f.optionalInt("desired");
        Integer max = f.optionalInt("max");
        f.rejectUnknown();
        if (!f.ok("min") || !f.ok("desired") || !f.ok("max")) {
            return null;
        }
        // Absent values default around the given ones, so {"max": 1} means 1/1/1 rather than an error.
        int lo = min != null ? min : SpecDefaults.FLEET_MIN;
        int hi = max != null ? max : Math.max(SpecDefaults.FLEET_MAX, Math.max(lo, desired == null ? 0 : desired));
        int want = desired != null ? desired : Math.clamp(SpecDefaults.FLEET_DESIRED, lo, Math.max(lo, hi));
        boolean valid = true;
        if (lo < 1) {
            f.problem("min", "must be at least 1: an environment without app servers serves nothing, got " + lo);
            valid = false;
        }
        if (hi > cap) {
            f.problem("max", "must be at most " + cap + " (this pipeline's cap), got " + hi);
            valid = false;
        }
        if (lo > hi) {
            f.problem("min", "min " + lo + " is greater than max " + hi);
            valid = false;
        } else if (want < lo || want > hi) {
            f.problem("desired", "desired " + want + " is outside min..max (" + lo + ".." + hi + ")");
            valid = false;
        }
        return valid ? new Fleet(lo, want, hi) : null;
    }

    private LoadBalancer loadBalancer(JsonFields top, String region) {
        JsonFields lb = top.object("loadBalancer", false, "");
        if (lb == null) {
            return top.ok("loadBalancer") ? new LoadBalancer(Optional.empty(), SpecDefaults.STICKINESS_SECONDS,
                    healthCheck(null)) : null;
        }
        String arn = lb.optionalString("certificateArn");
        if (check(lb, "certificateArn", arn, SpecRules::certificateArn) && arn != null && region != null
                && SpecRules.region(region).isEmpty() && !SpecRules.certificateRegion(arn).equals(region)) {
            lb.problem("certificateArn", "the certificate is in " + SpecRules.certificateRegion(arn)
                    + " but the environment is in " + region + "; a load balancer can only use an ACM "
                    + "certificate from its own region");
        }
        Integer stickiness = lb.intInRange("stickinessSeconds", SpecDefaults.STICKINESS_SECONDS, 1, 604_800,
                "the load-balancer cookie lasts at most 7 days");
        JsonFields hc = lb.object("healthCheck", false, "");
        HealthCheck healthCheck = lb.ok("healthCheck") ? healthCheck(hc) : null;
        lb.rejectUnknown();
        if (!lb.ok("certificateArn") || stickiness == null || healthCheck == null) {
            return null;
        }
        return new LoadBalancer(Optional.ofNullable(arn), stickiness, healthCheck);
    }

    private HealthCheck healthCheck(JsonFields hc) {
        if (hc == null) {
            return new HealthCheck(SpecDefaults.HEALTH_CHECK_PATH, SpecDefaults.HEALTH_CHECK_INTERVAL_SECONDS,
                    SpecDefaults.HEALTH_CHECK_TIMEOUT_SECONDS, SpecDefaults.HEALTHY_THRESHOLD,
                    SpecDefaults.UNHEALTHY_THRESHOLD, SpecDefaults.SUCCESS_CODES);
        }
        String path = hc.string("path", SpecDefaults.HEALTH_CHECK_PATH);
        check(hc, "path", path, SpecRules::healthCheckPath);
        // Ranges from the ELBv2 CreateTargetGroup reference for HTTP target groups.
        Integer interval = hc.intInRange("intervalSeconds", SpecDefaults.HEALTH_CHECK_INTERVAL_SECONDS, 5, 300, "");
        Integer timeout = hc.intInRange("timeoutSeconds", SpecDefaults.HEALTH_CHECK_TIMEOUT_SECONDS, 2, 120, "");
        Integer healthy = hc.intInRange("healthyThreshold", SpecDefaults.HEALTHY_THRESHOLD, 2, 10, "");
        Integer unhealthy = hc.intInRange("unhealthyThreshold", SpecDefaults.UNHEALTHY_THRESHOLD, 2, 10, "");
        String codes = hc.string("successCodes", SpecDefaults.SUCCESS_CODES);
        check(hc, "successCodes", codes, SpecRules::successCodes);
        if (interval != null && timeout != null && timeout >= interval) {
            // ELB answers ValidationError when the timeout is not below the interval; the API reference does not
            // state this rule, it is what the console and the API enforce.
            hc.problem("timeoutSeconds", "must be less than intervalSeconds (" + interval + "), got " + timeout);
            timeout = null;
        }
        hc.rejectUnknown();
        if (path == null || interval == null || timeout == null || healthy == null || unhealthy == null
                || codes == null || !hc.ok("path") || !hc.ok("successCodes")) {
            return null;
        }
        return new HealthCheck(path, interval, timeout, healthy, unhealthy, codes);
    }

    private Artifacts artifacts(JsonFields top) {
        JsonFields a = top.object("artifacts", false, "");
        if (a == null) {
            return top.ok("artifacts") ? new Artifacts(Optional.empty(), SpecDefaults.BOOTSTRAP_WAR_KEY,
                    SpecDefaults.KEEP_RELEASES) : null;
        }
        String bucket = a.optionalString("bucket");
        check(a, "bucket", bucket, SpecRules::bucketName);
        String key = a.string("bootstrapWarKey", SpecDefaults.BOOTSTRAP_WAR_KEY);
        check(a, "bootstrapWarKey", key, SpecRules::bootstrapWarKey);
        Integer keep = a.intInRange("keepReleases", SpecDefaults.KEEP_RELEASES, 2, 50,
                "keep the live release and at least one to roll back to");
        a.rejectUnknown();
        if (!a.ok("bucket") || key == null || !a.ok("bootstrapWarKey") || keep == null) {
            return null;
        }
        return new Artifacts(Optional.ofNullable(bucket), key, keep);
    }

    private Deployment deployment(JsonFields top) {
        JsonFields d = top.object("deployment", false, "");
        if (d == null) {
            return top.ok("deployment") ? new Deployment(SpecDefaults.INSTANCE_WARMUP_SECONDS,
                    SpecDefaults.MIN_HEALTHY_PERCENTAGE, SpecDefaults.MAX_HEALTHY_PERCENTAGE, SpecDefaults.BAKE_TIME_SECONDS,
                    defaultAlarms(), defaultInPlace()) : null;
        }
        // AWS documents no upper bound for InstanceWarmup; an hour is our cap against typos (3600 vs 36000).
        Integer warmup = d.intInRange("instanceWarmupSeconds", SpecDefaults.INSTANCE_WARMUP_SECONDS, 0, 3600, "");
        Integer minHealthy = d.intInRange("minHealthyPercentage", SpecDefaults.MIN_HEALTHY_PERCENTAGE, 0, 100, "");
        // RefreshPreferences (API reference): MaxHealthyPercentage 100 to 200, "and the difference between them
        // cannot be greater than 100"; StartInstanceRefresh would refuse it mid-deploy, so the spec refuses it now
        Integer maxHealthy = d.intInRange("maxHealthyPercentage",
                SpecDefaults.maxHealthyPercentage(minHealthy == null ? SpecDefaults.MIN_HEALTHY_PERCENTAGE : minHealthy),
                100, 200, "");
        if (minHealthy != null && maxHealthy != null && maxHealthy - minHealthy > 100) {
            d.problem("maxHealthyPercentage", "must be at most 100 above minHealthyPercentage (" + minHealthy
                    + "), as AWS requires; got " + maxHealthy);
            maxHealthy = null;
        }
        // AWS allows BakeTime 0 to 172800 (RefreshPreferences); an hour is our cap, like the warm-up's: the deploy
        // holds the environment's lock while it bakes
        Integer bake = d.intInRange("bakeTimeSeconds", SpecDefaults.BAKE_TIME_SECONDS, 0, 3600, "");
        Deployment.Alarms alarms = alarms(d);
        Deployment.InPlace inPlace = inPlace(d);
        String strategyText = d.string("strategy", Deployment.Strategy.BAKE.value());
        Deployment.Strategy strategy = strategyText == null ? null : Deployment.Strategy.of(strategyText).orElse(null);
        if (strategyText != null && strategy == null) {
            d.problem("strategy", "must be " + Deployment.Strategy.accepted() + ", got \"" + strategyText + "\"");
        }
        d.rejectUnknown();
        return warmup == null || minHealthy == null || maxHealthy == null || bake == null || alarms == null
                || inPlace == null || strategy == null ? null
                : new Deployment(warmup, minHealthy, maxHealthy, bake, alarms, inPlace, strategy);
    }

    private static Deployment.InPlace defaultInPlace() {
        return new Deployment.InPlace(SpecDefaults.IN_PLACE_CONFIG);
    }

    private Deployment.InPlace inPlace(JsonFields deployment) {
        JsonFields p = deployment.object("inPlace", false, "");
        if (p == null) return deployment.ok("inPlace") ? defaultInPlace() : null;
        String config = p.string("config", SpecDefaults.IN_PLACE_CONFIG);
        boolean good = check(p, "config", config, SpecRules::inPlaceConfig);
        p.rejectUnknown();
        return config == null || !good ? null : new Deployment.InPlace(config);
    }

    private static Deployment.Alarms defaultAlarms() {
        return new Deployment.Alarms(SpecDefaults.TARGET_5XX_PER_MINUTE, SpecDefaults.LOW_CAPACITY_MINUTES);
    }

    private Deployment.Alarms alarms(JsonFields deployment) {
        JsonFields a = deployment.object("alarms", false, "");
        if (a == null) return deployment.ok("alarms") ? defaultAlarms() : null;
        Integer errors = a.intInRange("target5xxPerMinute", SpecDefaults.TARGET_5XX_PER_MINUTE, 1, 1_000_000, "");
        // CloudWatch: EvaluationPeriods x Period at most one day (PutMetricAlarm); an hour is plenty for a deploy
        Integer minutes = a.intInRange("lowCapacityMinutes", SpecDefaults.LOW_CAPACITY_MINUTES, 1, 60, "");
        a.rejectUnknown();
        return errors == null || minutes == null ? null : new Deployment.Alarms(errors, minutes);
    }

    private Map<String, String> tags(JsonFields top) {
        Map<String, String> tags = top.stringMap("tags");
        if (tags == null) {
            return null;
        }
        String at = top.path("tags");
        if (tags.size() > SpecRules.EXTRA_TAGS_MAX) {
            top.problem("tags", "at most " + SpecRules.EXTRA_TAGS_MAX + " tags (AWS allows 50 per resource and the "
                    + "pipeline adds its own), got " + tags.size());
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String tagPath = JsonFields.child(at, tag.getKey());
            Optional<String> bad = SpecRules.tagKey(tag.getKey()).or(() -> SpecRules.tagValue(tag.getValue()));
            bad.ifPresent(reason -> problems.add(new Problem(tagPath, reason)));
        }
        return tags;
    }

    /** Records the rule's problem against the field; true when the value is absent or passes. */
    private static boolean check(JsonFields fields, String field, String value,
                                 Function<String, Optional<String>> rule) {
        if (value == null) {
            return true;
        }
        Optional<String> bad = rule.apply(value);
        bad.ifPresent(reason -> fields.problem(field, reason));
        return bad.isEmpty();
    }
}
