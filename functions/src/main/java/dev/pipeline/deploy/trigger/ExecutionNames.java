package dev.pipeline.deploy.trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of deploy executions, pure. Step Functions keeps an execution's name for 90 days and refuses a second
 * execution of that name, so naming the execution after the object version makes a redelivered S3 event start
 * nothing. Names use only {@code [A-Za-z0-9_-]} (Step Functions refuses whitespace, brackets, wildcards,
 * {@code "#%\^|~`$&,;:/} and control characters, and CloudWatch Logs is happier with ASCII) and stay within 80
 * characters, whatever the key.
 */
public final class ExecutionNames {
    public static final int MAX = 80;
    private static final int HASH_HEX = 16;
    private static final String RESUMED = "-go";

    private ExecutionNames() {}

    /**
     * {@code <readable slug of the key>-<16 hex of sha256(key \0 versionId)>}: the same object version always
     * gets the same name, another version or another key (even one with the same slug) another name.
     */
    public static String forUpload(String key, String versionId) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("an upload needs a key");
        String hash = hex(key + "\0" + (versionId == null ? "" : versionId), HASH_HEX);
        String slug = slug(key, MAX - 1 - HASH_HEX);
        return (slug.isEmpty() ? "upload" : slug) + "-" + hash;
    }

    /**
     * The execution that resumes a queued upload once the lock is handed to it: distinct from every
     * {@link #forUpload} name (those end in hex, this in {@code -go}), and from the resumed name of any other id.
     */
    public static String resumed(String id) {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("a resumed execution needs the upload id");
        String safe = slug(id, Integer.MAX_VALUE);
        if (safe.equals(id) && id.length() + RESUMED.length() <= MAX) return id + RESUMED;
        // too long or not a valid name itself: keep a readable prefix and make it unique with a hash of the whole id
        int room = MAX - RESUMED.length() - 1 - HASH_HEX;
        String prefix = safe.length() > room ? safe.substring(0, room) : safe;
        return (prefix.isEmpty() ? "upload" : prefix) + "-" + hex(id, HASH_HEX) + RESUMED;
    }

    /** True when Step Functions accepts {@code name} and it is of the form these methods make. */
    public static boolean valid(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX && name.matches("[A-Za-z0-9_-]+");
    }

    /** Runs of anything but ASCII letters, digits, '_' and '-' become one '-'; no '-' at either end; at most max chars. */
    private static String slug(String s, int max) {
        String slug = s.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > max) slug = slug.substring(0, max).replaceAll("-+$", "");
        return slug;
    }

    private static String hex(String s, int chars) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, chars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
