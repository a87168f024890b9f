package dev.pipeline.spec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Format rules for single spec values, each answering "why is this unusable" or empty. AWS naming limits are
 * quoted from the service API references; where a rule is ours rather than AWS's, the comment says so.
 */
final class SpecRules {

    private static final Pattern ENV_NAME = Pattern.compile("[a-z](?:[a-z0-9-]*[a-z0-9])?");
    private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(?:-[a-z]+)+-\\d{1,2}");
    private static final Pattern VPC_ID = Pattern.compile("vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern SUBNET_ID = Pattern.compile("subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern HEALTH_PATH = Pattern.compile("/[\\x21-\\x7e]*");
    private static final Pattern CODE_OR_RANGE = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");
    // ACM certificate ARNs: arn:<partition>:acm:<region>:<account>:certificate/<uuid>
    private static final Pattern ACM_ARN = Pattern.compile(
            "arn:aws(?:-cn|-us-gov)?:acm:([a-z0-9-]+):(\\d{12}):certificate/"
                    + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?");
    private static final Pattern IPV4_LIKE = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    // The character set every tagging service accepts (EC2 alone allows more; ELB, ASG, S3, Route 53 do not).
    private static final Pattern TAG_CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    static final int ENV_NAME_MAX = EnvironmentSpec.ELB_NAME_MAX
            - EnvironmentSpec.ELB_COMPONENTS.stream().mapToInt(c -> c.length() + 1).max().orElseThrow();
    static final int TAG_KEY_MAX = 128;
    static final int TAG_VALUE_MAX = 256;
    /** AWS allows 50 user tags per resource; the pipeline keeps 5 for its own (pipeline:*, Name). */
    static final int EXTRA_TAGS_MAX = 45;
    static final List<String> RESERVED_TAG_PREFIXES = List.of("aws:", "pipeline:");
    // S3 general purpose bucket naming rules (prefixes/suffixes reserved for access points, Express, tables...).
    private static final List<String> BUCKET_RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> BUCKET_RESERVED_SUFFIXES =
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private SpecRules() {
    }

    static Optional<String> environmentName(String name) {
        if (!ENV_NAME.matcher(name).matches()) {
            return Optional.of("use lowercase letters, digits and hyphens, starting with a letter and not ending "
                    + "with a hyphen (it becomes part of resource names and DNS-style identifiers), got \"" + name + "\"");
        }
        for (String component : EnvironmentSpec.ELB_COMPONENTS) {
            String derived = name + "-" + component;
            if (derived.length() > EnvironmentSpec.ELB_NAME_MAX) {
                return Optional.of("too long: makes the " + elbKind(component) + " name \"" + derived + "\" "
                        + derived.length() + " characters, and Elastic Load Balancing allows "
                        + EnvironmentSpec.ELB_NAME_MAX + "; use at most " + ENV_NAME_MAX + " characters");
            }
            if (derived.startsWith("internal-")) {
                return Optional.of("makes the " + elbKind(component) + " name \"" + derived + "\", and Elastic Load "
                        + "Balancing refuses names beginning with \"internal-\"");
            }
        }
        for (String prefix : BUCKET_RESERVED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return Optional.of("must not start with \"" + prefix + "\": S3 reserves it, and the generated "
                        + "artifact bucket name starts with the environment name");
            }
        }
        return Optional.empty();
    }

    private static String elbKind(String component) {
        return component.equals(EnvironmentSpec.LOAD_BALANCER_COMPONENT) ? "load balancer" : "target group";
    }

    static Optional<String> region(String region) {
        return REGION.matcher(region).matches() ? Optional.empty()
                : Optional.of("expected an AWS region code like us-east-1, got \"" + region + "\"");
    }

    static Optional<String> vpcId(String id) {
        return VPC_ID.matcher(id).matches() ? Optional.empty()
                : Optional.of("expected a VPC id like vpc-0123456789abcdef0, got \"" + id + "\"");
    }

    static Optional<String> subnetId(String id) {
        return SUBNET_ID.matcher(id).matches() ? Optional.empty()
                : Optional.of("expected a subnet id like subnet-0123456789abcdef0, got \"" + id + "\"");
    }

    /** A Route 53 private zone name: at least two DNS labels, lowercase, no trailing dot. */
    static Optional<String> zoneName(String zone) {
        if (zone.endsWith(".")) {
            return Optional.of("write the zone without the trailing dot: \"" + zone.substring(0, zone.length() - 1) + "\"");
        }
        if (!zone.equals(zone.toLowerCase(Locale.ROOT))) {
            return Optional.of("use lowercase (DNS is case-insensitive; the pipeline compares names exactly): \""
                    + zone.toLowerCase(Locale.ROOT) + "\"");
        }
        String[] labels = zone.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.of("expected a domain name with at least two labels, like vprofile.in, got \"" + zone + "\"");
        }
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return Optional.of("\"" + label + "\" is not a DNS label (letters, digits, inner hyphens, 1-63 characters)");
            }
        }
        // 255 octets on the wire = 253 characters of text without the trailing dot.
        return zone.length() > 253 ? Optional.of("longer than 253 characters") : Optional.empty();
    }

    static Optional<String> hostname(String host) {
        return DNS_LABEL.matcher(host).matches() ? Optional.empty()
                : Optional.of("expected one lowercase DNS label like db01 (letters, digits, inner hyphens, "
                        + "at most 63 characters), got \"" + host + "\"");
    }

    /**
     * The CodeDeploy configurations an in-place release may use: the predefined EC2/On-Premises ones that keep
     * part of the fleet serving ("Predefined deployment configurations for an EC2/On-Premises compute platform",
     * CodeDeploy user guide: OneAtATime keeps all but one instance healthy, HalfAtATime at least half).
     */
    public static final List<String> IN_PLACE_CONFIGS = List.of("CodeDeployDefault.OneAtATime", "CodeDeployDefault.HalfAtATime");

    static Optional<String> inPlaceConfig(String config) {
        if (IN_PLACE_CONFIGS.contains(config)) return Optional.empty();
        if ("CodeDeployDefault.AllAtOnce".equals(config)) {
            // AllAtOnce has a minimum of 0 healthy hosts: with traffic control every instance leaves the target group
            // together, so the site answers 503 for the whole release
            return Optional.of("CodeDeployDefault.AllAtOnce takes every instance out of the target group at once, so the"
                    + " site goes dark during a release; use one of " + String.join(", ", IN_PLACE_CONFIGS));
        }
        return Optional.of("expected one of " + String.join(", ", IN_PLACE_CONFIGS) + ", got \"" + config + "\"");
    }

    static Optional<String> instanceType(String type) {
        return INSTANCE_TYPE.matcher(type).matches() && type.length() <= 64 ? Optional.empty()
                : Optional.of("expected an EC2 instance type like t3.micro, got \"" + type + "\"");
    }

    static Optional<String> healthCheckPath(String path) {
        if (!HEALTH_PATH.matcher(path).matches()) {
            return Optional.of("expected a URL path starting with / and without spaces, like /login, got \"" + path + "\"");
        }
        return path.length() > 1024 ? Optional.of("longer than 1024 characters (the ELB limit)") : Optional.empty();
    }

    /** ELB matcher syntax for Application Load Balancers: codes or ranges between 200 and 499. */
    static Optional<String> successCodes(String codes) {
        String hint = "expected HTTP codes between 200 and 499 like \"200\", \"200,302\" or \"200-299\", got \"" + codes + "\"";
        for (String part : codes.split(",", -1)) {
            Matcher m = CODE_OR_RANGE.matcher(part);
            if (!m.matches()) {
                return Optional.of(hint);
            }
            int low = Integer.parseInt(m.group(1));
            int high = m.group(2) == null ? low : Integer.parseInt(m.group(2));
            if (low < 200 || high > 499 || low > high) {
                return Optional.of(hint);
            }
        }
        return Optional.empty();
    }

    /** The region of a well-formed ACM certificate ARN, or a reason it is not one. */
    static Optional<String> certificateArn(String arn) {
        return ACM_ARN.matcher(arn).matches() ? Optional.empty()
                : Optional.of("expected an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/"
                        + "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d, got \"" + arn + "\"");
    }

    static String certificateRegion(String validArn) {
        Matcher m = ACM_ARN.matcher(validArn);
        if (!m.matches()) {
            throw new IllegalArgumentException(validArn);
        }
        return m.group(1);
    }

    static Optional<String> bucketName(String bucket) {
        if (bucket.length() < 3 || bucket.length() > 63) {
            return Optional.of("S3 bucket names are 3 to 63 characters, got " + bucket.length());
        }
        if (!BUCKET_CHARS.matcher(bucket).matches()) {
            return Optional.of("S3 bucket names use lowercase letters, digits, hyphens and dots, and start and "
                    + "end with a letter or digit, got \"" + bucket + "\"");
        }
        if (bucket.contains(".")) {
            // Allowed by S3, but a dot breaks the TLS certificate match of virtual-hosted-style requests,
            // which the SDK uses by default. Our rule, not S3's.
            return Optional.of("avoid dots in the bucket name: they break HTTPS to virtual-hosted-style S3 "
                    + "endpoints, which the AWS SDK uses");
        }
        if (IPV4_LIKE.matcher(bucket).matches()) {
            return Optional.of("S3 bucket names must not look like an IP address");
        }
        for (String prefix : BUCKET_RESERVED_PREFIXES) {
            if (bucket.startsWith(prefix)) {
                return Optional.of("S3 reserves the prefix \"" + prefix + "\"");
            }
        }
        for (String suffix : BUCKET_RESERVED_SUFFIXES) {
            if (bucket.endsWith(suffix)) {
                return Optional.of("S3 reserves the suffix \"" + suffix + "\"");
            }
        }
        return Optional.empty();
    }

    static Optional<String> bootstrapWarKey(String key) {
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > 1024) {
            return Optional.of("S3 object keys are 1 to 1024 bytes");
        }
        if (key.startsWith("/")) {
            return Optional.of("S3 keys do not start with \"/\": write \"" + key.substring(1) + "\"");
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("control characters are not allowed in the key");
        }
        if (key.startsWith(Artifacts.RELEASES_PREFIX)) {
            return Optional.of("must not be under \"" + Artifacts.RELEASES_PREFIX + "\": uploads there start a deploy, "
                    + "and the bootstrap WAR is deployed by provisioning itself");
        }
        return key.endsWith(".war") ? Optional.empty() : Optional.of("expected a .war file, got \"" + key + "\"");
    }

    static Optional<String> tagKey(String key) {
        if (key.isEmpty()) {
            return Optional.of("tag keys must not be empty");
        }
        for (String prefix : RESERVED_TAG_PREFIXES) {
            if (key.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return Optional.of("the prefix \"" + prefix + "\" is reserved ("
                        + (prefix.equals("aws:") ? "by AWS" : "the pipeline sets pipeline:environment and pipeline:component itself")
                        + ")");
            }
        }
        if (key.equals("Name")) {
            return Optional.of("\"Name\" is set by the pipeline per resource (db01, mc01, ...)");
        }
        if (key.codePointCount(0, key.length()) > TAG_KEY_MAX) {
            return Optional.of("tag keys are at most " + TAG_KEY_MAX + " characters");
        }
        return TAG_CHARS.matcher(key).matches() ? Optional.empty() : Optional.of(TAG_CHARS_HINT);
    }

    static Optional<String> tagValue(String value) {
        if (value.toLowerCase(Locale.ROOT).startsWith("aws:")) {
            return Optional.of("tag values must not start with \"aws:\" (reserved by AWS)");
        }
        if (value.codePointCount(0, value.length()) > TAG_VALUE_MAX) {
            return Optional.of("tag values are at most " + TAG_VALUE_MAX + " characters");
        }
        return TAG_CHARS.matcher(value).matches() ? Optional.empty() : Optional.of(TAG_CHARS_HINT);
    }

    private static final String TAG_CHARS_HINT =
            "use letters, digits, spaces and _ . : / = + - @ only (the set every tagging AWS service accepts)";
}
