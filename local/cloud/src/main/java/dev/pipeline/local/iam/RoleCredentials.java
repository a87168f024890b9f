package dev.pipeline.local.iam;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The credentials a role's session signs with in the local cloud: the access key id names the role, so the
 * gateway knows who calls without an STS of its own. A function's runtime gets its execution role's keys;
 * an instance gets its profile role's keys from IMDS. Keys that are not of this form belong to the
 * operator (tests, the CLI): an administrator, as the account's own credentials would be.
 */
public final class RoleCredentials {
    /** AWS's prefix for temporary (session) access keys. */
    private static final String PREFIX = "ASIALOCAL";
    public static final String SECRET = "local-role-secret";
    public static final String SESSION_TOKEN = "local-role-session";

    private RoleCredentials() {}

    /** The access key id of a session of role {@code roleName}. */
    public static String accessKeyFor(String roleName) {
        return PREFIX + HexFormat.of().formatHex(roleName.getBytes(StandardCharsets.UTF_8)).toUpperCase();
    }

    /** The role whose session signs with {@code accessKey}, if it is one of ours. */
    public static Optional<String> roleOf(String accessKey) {
        if (accessKey == null || !accessKey.startsWith(PREFIX)) return Optional.empty();
        try {
            return Optional.of(new String(HexFormat.of().parseHex(accessKey.substring(PREFIX.length())), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
