package dev.pipeline.functions;

import java.util.Map;

/** A function's configuration from its environment; a missing required variable fails the cold start, not the fifth call. */
public final class Env {
    private final Map<String, String> vars;

    public Env(Map<String, String> vars) { this.vars = Map.copyOf(vars); }

    public static Env system() { return new Env(System.getenv()); }

    /** The value of a required variable. */
    public String require(String name) {
        String v = vars.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required (set it in template.yaml)");
        }
        return v;
    }

    public String optional(String name, String fallback) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** True when running against the local cloud rather than AWS. */
    public boolean local() { return "true".equals(vars.get("PIPELINE_LOCAL")); }

    public Map<String, String> asMap() { return vars; }
}
