package dev.pipeline.drift;

import java.util.Objects;

/**
 * One difference between the desired and the actual environment. {@link #id()} names the rule
 * ({@code sg.rule.world-open}) and never changes between releases; {@link #key()} (rule + resource) identifies the
 * finding across checks, which is what "the same drift as last hour" compares.
 */
public record Finding(String id, Severity severity, String resource, String expected, String actual, String fix) {

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(resource, "resource");
        expected = expected == null ? "" : expected;
        actual = actual == null ? "" : actual;
        fix = fix == null ? "" : fix;
    }

    public String key() {
        return id + " " + resource;
    }
}
