package dev.pipeline.functions;

import java.time.Duration;
import java.time.Instant;

/**
 * What every stage knows about the execution it runs in ({@code $.run} in the workflow state): the execution
 * name, which makes creation tokens stable across a Lambda's retries; the poll interval of wait loops; and a
 * deadline, so a resource that never becomes ready fails the workflow instead of looping forever.
 *
 * @param token          the execution name; use it in ClientToken / CallerReference
 * @param pollSeconds    how long the state machine waits between checks
 * @param startedAt      when the execution started (ISO-8601)
 * @param timeoutSeconds how long the whole run may wait for resources
 */
public record Run(String token, int pollSeconds, String startedAt, Integer timeoutSeconds) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 3600;

    public Run {
        if (token == null || token.isBlank()) throw new StageFailedException("run.token is missing from the workflow state");
    }

    /** Throws StageFailedException when the run has waited too long for {@code what}. */
    public void checkDeadline(String what) {
        if (startedAt == null) return;
        Instant deadline = Instant.parse(startedAt).plusSeconds(timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds);
        if (Instant.now().isAfter(deadline)) {
            throw new StageFailedException(what + " was still not ready "
                    + Duration.between(Instant.parse(startedAt), Instant.now()).toSeconds() + " s after the run started");
        }
    }

    /** A creation token unique to this run and {@code purpose}, within AWS's 64-character ClientToken limit. */
    public String tokenFor(String purpose) {
        String raw = token + ":" + purpose;
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 24);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
