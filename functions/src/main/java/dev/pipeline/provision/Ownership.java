package dev.pipeline.provision;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tag rules shared by the stages: what a resource of a component carries (the spec's tags plus {@code Name}),
 * and the refusal to adopt a resource that has our name but not our environment tag (someone else's, or a
 * leftover of another environment): converging it would change what we do not own.
 */
public final class Ownership {
    private Ownership() {}

    /** {@code spec.tags(component)} plus {@code Name = name}. */
    public static Map<String, String> tags(EnvironmentSpec spec, String component, String name) {
        Map<String, String> tags = new LinkedHashMap<>(spec.tags(component));
        tags.put("Name", name);
        return tags;
    }

    /** Throws StageFailedException unless {@code actualTags} say the resource belongs to this environment. */
    public static void requireOurs(EnvironmentSpec spec, String what, String name, Map<String, String> actualTags) {
        String env = actualTags.get(EnvironmentSpec.TAG_ENVIRONMENT);
        if (!spec.name().equals(env)) {
            throw new StageFailedException("a " + what + " named " + name + " already exists but is not tagged "
                    + EnvironmentSpec.TAG_ENVIRONMENT + "=" + spec.name()
                    + (env == null ? "" : " (it belongs to environment " + env + ")")
                    + "; the pipeline will not take it over: delete or rename it, or choose another environment name");
        }
    }

    /** The entries of {@code desired} that {@code actual} lacks or holds with another value. */
    public static Map<String, String> missing(Map<String, String> desired, Map<String, String> actual) {
        Map<String, String> out = new LinkedHashMap<>();
        desired.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) out.put(k, v);
        });
        return out;
    }
}
