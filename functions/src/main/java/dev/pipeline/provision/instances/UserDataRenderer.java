package dev.pipeline.provision.instances;

import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.HealthCheck;
import dev.pipeline.spec.Role;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the boot script of a role from {@code resources/userdata/<role>.sh}. Pure and deterministic (the same
 * inputs give the same bytes, so a retried RunInstances matches its ClientToken). It takes no secret: only the
 * names of the SSM parameters the instance reads at boot. Each {@code {{NAME}}} placeholder becomes a
 * single-quoted shell word, so no value can break out of its assignment.
 */
public final class UserDataRenderer {
    /** EC2 refuses user data above 16 KB (before base64). */
    public static final int MAX_BYTES = 16 * 1024;
    /** The application's schema, loaded into a new database when present in the artifact bucket. */
    public static final String SCHEMA_KEY = "bootstrap/db_backup.sql";
    /** The seed's database and application user (the WAR's application.properties expects them). */
    public static final String DB_NAME = "accounts";
    public static final String DB_USER = "admin";
    /** Our broker user, replacing the seed's test/test. */
    public static final String BROKER_USER = "vprofile";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");
    // The only place a value may go: the whole right-hand side of an assignment, where a quoted word is inert.
    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^(?:readonly )?[A-Z_]+=\\{\\{([A-Z_]+)}}$");
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    /**
     * What the scripts need besides the spec.
     *
     * @param appSubnetCidrs the app subnets' IPv4 blocks: the database's application user is limited to them
     */
    public record Inputs(EnvironmentSpec spec, String artifactBucket, SecretParameters secrets, List<String> appSubnetCidrs) {
        public Inputs {
            appSubnetCidrs = appSubnetCidrs == null ? List.of() : List.copyOf(appSubnetCidrs);
        }
    }

    public String render(Role role, Inputs in) {
        EnvironmentSpec spec = in.spec();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ENVIRONMENT", spec.name());
        values.put("COMPONENT", Components.of(spec, role));
        switch (role) {
            case DB -> {
                values.put("DB_PASSWORD_PARAMETER", required(in.secrets().databasePasswordParameter(), "secrets.databasePasswordParameter"));
                values.put("ARTIFACT_BUCKET", in.artifactBucket());
                values.put("SCHEMA_KEY", SCHEMA_KEY);
                values.put("DB_NAME", DB_NAME);
                values.put("DB_USER", DB_USER);
                values.put("DB_PORT", String.valueOf(Role.DB.port()));
                values.put("APP_HOSTS", String.join(" ", in.appSubnetCidrs().stream().map(UserDataRenderer::mariaDbHost).toList()));
            }
            case MC -> values.put("MC_PORT", String.valueOf(Role.MC.port()));
            case RMQ -> {
                values.put("BROKER_PASSWORD_PARAMETER", required(in.secrets().brokerPasswordParameter(), "secrets.brokerPasswordParameter"));
                values.put("BROKER_USER", BROKER_USER);
                values.put("RMQ_PORT", String.valueOf(Role.RMQ.port()));
            }
            case APP -> {
                HealthCheck health = spec.loadBalancer().healthCheck();
                values.put("DB_PASSWORD_PARAMETER", required(in.secrets().databasePasswordParameter(), "secrets.databasePasswordParameter"));
                values.put("BROKER_PASSWORD_PARAMETER", required(in.secrets().brokerPasswordParameter(), "secrets.brokerPasswordParameter"));
                values.put("ARTIFACT_BUCKET", in.artifactBucket());
                values.put("WAR_KEY", spec.artifacts().bootstrapWarKey());
                values.put("DB_HOST", spec.privateDnsName(Role.DB));
                values.put("DB_PORT", String.valueOf(Role.DB.port()));
                values.put("DB_NAME", DB_NAME);
                values.put("DB_USER", DB_USER);
                values.put("MC_HOST", spec.privateDnsName(Role.MC));
                values.put("MC_PORT", String.valueOf(Role.MC.port()));
                values.put("RMQ_HOST", spec.privateDnsName(Role.RMQ));
                values.put("RMQ_PORT", String.valueOf(Role.RMQ.port()));
                values.put("BROKER_USER", BROKER_USER);
                values.put("APP_PORT", String.valueOf(Role.APP.port()));
                values.put("HEALTH_PATH", health.path());
                values.put("HEALTH_CODES", health.successCodes());
            }
        }
        String template = resource(role.key() + ".sh").replace("{{PRELUDE}}\n", resource("_prelude.sh"));
        String script = substitute(template, values);
        int bytes = script.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalStateException(role + " user data is " + bytes + " bytes; EC2 allows " + MAX_BYTES);
        }
        return script;
    }

    /** {@code value} as one single-quoted shell word: {@code it's} becomes {@code 'it'\''s'}. */
    public static String shellQuote(String value) {
        if (value.indexOf('\0') >= 0) throw new IllegalArgumentException("a shell word cannot hold a NUL character");
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * A MariaDB account host for an IPv4 CIDR block. MariaDB matches {@code address/netmask} but not
     * {@code address/prefix}: {@code 10.40.10.0/24} becomes {@code 10.40.10.0/255.255.255.0}. Host bits are
     * cleared, because MariaDB requires the address to be the network's.
     */
    static String mariaDbHost(String cidr) {
        Matcher m = IPV4_CIDR.matcher(cidr.trim());
        if (!m.matches()) throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidr);
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidr);
            address = address << 8 | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix > 32) throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidr);
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return dotted(address & mask) + "/" + dotted(mask);
    }

    private static String dotted(long v) {
        return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
    }

    private static String substitute(String template, Map<String, String> values) {
        long placeholders = PLACEHOLDER.matcher(template).results().count();
        if (placeholders != ASSIGNMENT.matcher(template).results().count()) {
            throw new IllegalStateException("a user data placeholder is used outside a NAME={{VALUE}} line");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) throw new IllegalStateException("no value for {{" + m.group(1) + "}} in user data");
            m.appendReplacement(out, Matcher.quoteReplacement(shellQuote(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new dev.pipeline.functions.StageFailedException(what + " is missing from the workflow state; ProvisionSecrets must run first");
        }
        return value;
    }

    private static String resource(String name) {
        try (InputStream in = UserDataRenderer.class.getResourceAsStream("/userdata/" + name)) {
            if (in == null) throw new IllegalStateException("user data template userdata/" + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
