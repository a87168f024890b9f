package dev.pipeline.spec;

import java.util.Objects;

/**
 * One thing wrong with an environment spec: where it is (a field path such as {@code network.appSubnets[1]},
 * or {@code $} for the document as a whole) and why, in words a user can act on.
 */
public record Problem(String path, String reason) {

    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
