package dev.pipeline.spec;

import java.util.Optional;

/**
 * Every default of the environment spec, in one place. Only {@link SpecReader} applies them, when a field is
 * absent; a serialized spec always writes them out, so what runs is visible.
 */
public final class SpecDefaults {

    public static final String PRIVATE_ZONE = "vprofile.in";
    public static final boolean SSH_ENABLED = false;

    /**
     * Amazon Linux 2023 for every role. The seed used CentOS (backends) and Ubuntu (app); CentOS is end-of-life
     * and has no AWS public parameter, and moto ships the {@code ami-amazon-linux-latest} parameters, so this
     * default also resolves in the local cloud. x86_64 to match the t3 defaults.
     */
    public static final String BASE_IMAGE = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    public static final int FLEET_MIN = 1;
    public static final int FLEET_DESIRED = 2;
    public static final int FLEET_MAX = 4;
    /** Our own cap, not AWS's: this pipeline replaces instances in batches and bakes per release; beyond ~20 use something else. */
    public static final int FLEET_MAX_CAP = 20;

    public static final String HEALTH_CHECK_PATH = "/login";
    // Faster than ELB's own defaults (30 s, healthy after 5): a deploy waits for this, 3 x 15 s is enough for Tomcat.
    public static final int HEALTH_CHECK_INTERVAL_SECONDS = 15;
    public static final int HEALTH_CHECK_TIMEOUT_SECONDS = 5;
    public static final int HEALTHY_THRESHOLD = 3;
    public static final int UNHEALTHY_THRESHOLD = 2;
    public static final String SUCCESS_CODES = "200";

    public static final int STICKINESS_SECONDS = 86_400;

    public static final String BOOTSTRAP_WAR_KEY = "bootstrap/ROOT.war";
    public static final int KEEP_RELEASES = 3;

    /**
     * How long a new instance warms up once in service before the refresh moves on. The golden image already holds
     * Tomcat and the app, and the target group's health checks (3 x 15 s by default) gate the instance before that,
     * so two minutes covers Tomcat's start and the first requests (AWS's default would be the group's grace period).
     */
    public static final int INSTANCE_WARMUP_SECONDS = 120;
    /**
     * BakeTime of every refresh: two minutes of watching the alarms after the last batch, so a release that fails
     * real traffic once it is alone on the fleet trips the 5xx alarm (one 60 s period) before the refresh succeeds.
     */
    public static final int BAKE_TIME_SECONDS = 120;
    /** 5xx responses from the instances in one minute that put the environment's 5xx alarm into ALARM. */
    public static final int TARGET_5XX_PER_MINUTE = 10;
    /** Minutes in a row with fewer healthy targets than a refresh keeps that put the healthy-hosts alarm into ALARM. */
    public static final int LOW_CAPACITY_MINUTES = 2;
    /**
     * Launch before terminate: with MinHealthyPercentage 100 and MaxHealthyPercentage 200 an instance refresh keeps
     * the whole fleet serving and launches all replacements in one batch (the instance maintenance policy's
     * "launch before terminating"; AWS's own defaults, 90 and 100, replace small fleets one instance at a time).
     */
    public static final int MIN_HEALTHY_PERCENTAGE = 100;
    /**
     * CodeDeploy's deployment configuration for in-place releases: one instance at a time, all others serving
     * (the predefined configuration AWS also uses when a group names none; CodeDeploy user guide, "Working with
     * deployment configurations in CodeDeploy").
     */
    public static final String IN_PLACE_CONFIG = "CodeDeployDefault.OneAtATime";
    /** AWS allows 100 to 200, and at most 100 above MinHealthyPercentage; the default is the widest allowed. */
    public static final int MAX_HEALTHY_PERCENTAGE = 200;

    /** The default MaxHealthyPercentage for a given minimum: as wide as AWS allows (min + 100, at most 200). */
    public static int maxHealthyPercentage(int minHealthyPercentage) {
        return Math.min(MAX_HEALTHY_PERCENTAGE, minHealthyPercentage + 100);
    }

    private SpecDefaults() {
    }

    /** The seed's host names: the WAR's {@code application.properties} points at exactly these. */
    public static Optional<String> hostname(Role role) {
        return switch (role) {
            case DB -> Optional.of("db01");
            case MC -> Optional.of("mc01");
            case RMQ -> Optional.of("rmq01");
            case APP -> Optional.empty();
        };
    }

    /** Burstable types that run the vprofile stack; Memcached alone fits in a micro. */
    public static String instanceType(Role role) {
        return role == Role.MC ? "t3.micro" : "t3.small";
    }

    public static Instance instance(Role role) {
        return new Instance(hostname(role), AmiRef.of(BASE_IMAGE), instanceType(role));
    }
}
