package dev.pipeline.spec;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The desired state of one environment: everything that varies between deployments of the vprofile stack.
 * Immutable; build it with {@link EnvironmentSpecs#parse(String)}, which validates and applies defaults. The
 * environment {@link #name()} is the identity key: every resource is named from it and tagged with it.
 *
 * @param region    empty means "the region the pipeline runs in" ({@code AWS_REGION})
 * @param instances one entry per {@link Role}
 * @param extraTags the user's tags for every resource (the document's {@code tags}), besides the pipeline's own
 *                  {@code pipeline:*} tags; see {@link #tags()}
 */
public record EnvironmentSpec(String name, Optional<String> region, Network network, String privateZone,
                              Map<Role, Instance> instances, Fleet fleet, LoadBalancer loadBalancer,
                              Artifacts artifacts, Deployment deployment, Map<String, String> extraTags) {

    /** The document format this build reads and writes. */
    public static final int SPEC_VERSION = 1;

    public static final String TAG_ENVIRONMENT = "pipeline:environment";
    public static final String TAG_COMPONENT = "pipeline:component";

    /** Component suffix of the load balancer's name; see {@link #loadBalancerName()}. */
    public static final String LOAD_BALANCER_COMPONENT = "alb";
    /** Component suffix of the target group's name; see {@link #targetGroupName()}. */
    public static final String TARGET_GROUP_COMPONENT = "tg";
    /** Names that Elastic Load Balancing limits to 32 characters; the spec validator checks each. */
    static final List<String> ELB_COMPONENTS = List.of(LOAD_BALANCER_COMPONENT, TARGET_GROUP_COMPONENT);
    static final int ELB_NAME_MAX = 32;

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    public EnvironmentSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(privateZone, "privateZone");
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(deployment, "deployment");
        EnumMap<Role, Instance> byRole = new EnumMap<>(Role.class);
        byRole.putAll(instances);
        if (byRole.size() != Role.values().length) {
            throw new IllegalArgumentException("instances needs one entry per role, got " + byRole.keySet());
        }
        instances = Collections.unmodifiableMap(byRole);
        // Insertion order kept so a serialized spec lists tags the way the user wrote them.
        extraTags = Collections.unmodifiableMap(new LinkedHashMap<>(extraTags));
    }

    public Instance instance(Role role) {
        return instances.get(role);
    }

    /**
     * A resource name for one component of this environment, {@code <name>-<component>}, e.g.
     * {@code resourceName("app-sg")} = {@code vprofile-app-sg}. For the load balancer and target group use
     * {@link #loadBalancerName()} and {@link #targetGroupName()}, whose length the validator guarantees.
     */
    public String resourceName(String component) {
        if (!COMPONENT.matcher(component).matches()) {
            throw new IllegalArgumentException("component must be lowercase words joined by hyphens: " + component);
        }
        return name + "-" + component;
    }

    /** At most 32 characters (validated). */
    public String loadBalancerName() {
        return resourceName(LOAD_BALANCER_COMPONENT);
    }

    /** At most 32 characters (validated). */
    public String targetGroupName() {
        return resourceName(TARGET_GROUP_COMPONENT);
    }

    /** The private DNS name a backend is reached by, e.g. {@code db01.vprofile.in}. */
    public String privateDnsName(Role role) {
        String host = instance(role).hostname()
                .orElseThrow(() -> new IllegalArgumentException(role + " servers have no private DNS name"));
        return host + "." + privateZone;
    }

    /** The tags every resource of this environment carries: the user's extra tags plus {@value #TAG_ENVIRONMENT}. */
    public Map<String, String> tags() {
        Map<String, String> all = new LinkedHashMap<>(extraTags);
        all.put(TAG_ENVIRONMENT, name);
        return Collections.unmodifiableMap(all);
    }

    /** {@link #tags()} plus {@value #TAG_COMPONENT}: what a stage puts on the resource it creates. */
    public Map<String, String> tags(String component) {
        Map<String, String> all = new LinkedHashMap<>(tags());
        all.put(TAG_COMPONENT, component);
        return Collections.unmodifiableMap(all);
    }

    /**
     * The artifact bucket: the configured one, or {@code <name>-<account>-<region>-wars}. Bucket names are
     * global, hence account and region in the generated one; the spec validator keeps names short enough
     * that it fits S3's 63 characters.
     */
    public String artifactBucketName(String accountId, String awsRegion) {
        if (artifacts.bucket().isPresent()) {
            return artifacts.bucket().get();
        }
        if (!ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
        }
        String generated = name + "-" + accountId + "-" + awsRegion + "-wars";
        SpecRules.bucketName(generated).ifPresent(reason -> {
            throw new IllegalArgumentException("generated bucket name " + generated + ": " + reason);
        });
        return generated;
    }
}
