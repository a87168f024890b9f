package dev.pipeline.local.elb;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The AWSALB duration-based stickiness cookie: which target of which target group a client is bound to, until when.
 * AWS encrypts it with a rotating key and "you cannot decrypt or modify" it; here it is signed (HMAC-SHA256 with a
 * key per local cloud), so a cookie that was altered, or comes from another local cloud, "cannot be decoded" and the
 * client gets a new target, as the ALB user guide says for such cookies. Thread-safe.
 */
final class StickyCookie {
    static final String NAME = "AWSALB";
    static final String CORS_NAME = "AWSALBCORS";

    /** A decoded cookie: the target group, the target (instance id and port) and when the stickiness lapses. */
    record Binding(String targetGroupArn, String targetId, int port, Instant expires) {}

    private final byte[] key = new byte[32];

    StickyCookie() {
        new SecureRandom().nextBytes(key);
    }

    String encode(Binding b) {
        String payload = b.targetGroupArn() + "|" + b.targetId() + "|" + b.port() + "|" + b.expires().toEpochMilli();
        String p = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return p + "." + mac(p);
    }

    /** The binding, empty when the value is not one of ours, was altered or is malformed. */
    Optional<Binding> decode(String value) {
        if (value == null) return Optional.empty();
        int dot = value.lastIndexOf('.');
        if (dot <= 0) return Optional.empty();
        String p = value.substring(0, dot);
        if (!java.security.MessageDigest.isEqual(mac(p).getBytes(StandardCharsets.US_ASCII),
                value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            String[] f = new String(Base64.getUrlDecoder().decode(p), StandardCharsets.UTF_8).split("\\|");
            if (f.length != 4) return Optional.empty();
            return Optional.of(new Binding(f[0], f[1], Integer.parseInt(f[2]), Instant.ofEpochMilli(Long.parseLong(f[3]))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String mac(String payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
