package dev.pipeline.provision.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.InvalidSpecException;

/** The spec as later stages read it from {@code $.spec}: already validated by ValidateSpec, so a problem here is bad input. */
public final class ValidatedSpec {
    private ValidatedSpec() {
    }

    /** The spec of the workflow state; StageFailedException (one of the two error names the ASL knows) when invalid. */
    public static EnvironmentSpec of(JsonNode spec) {
        try {
            return EnvironmentSpecs.fromTree(spec);
        } catch (InvalidSpecException e) {
            throw new StageFailedException("the workflow's spec is not valid (ValidateSpec runs first and should have "
                    + "stopped it): " + e.getMessage(), e);
        }
    }
}
