package dev.pipeline.deploy.trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * TODO(cli branch only): a stand-in for the books branch's ExecutionNames, written from the contract so the CLI
 * compiles before main has it. Delete this file when main has dev.pipeline.deploy.trigger.ExecutionNames.
 */
public final class ExecutionNames {
    private ExecutionNames() {}

    public static String forUpload(String key, String versionId) {
        String hash = HexFormat.of().formatHex(sha256(key + "\0" + versionId)).substring(0, 16);
        String slug = key.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 80 - 17) slug = slug.substring(0, 80 - 17);
        return slug + "-" + hash;
    }

    public static String resumed(String id) {
        return (id.length() > 77 ? id.substring(0, 77) : id) + "-go";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
