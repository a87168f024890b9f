package dev.pipeline.provision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.InvalidSpecException;

/** Reads what a stage needs from the workflow state, failing the stage (never retrying) when it is missing or invalid. */
public final class StageInputs {
    private StageInputs() {}

    /** The validated spec at {@code $.spec}. */
    public static EnvironmentSpec spec(JsonNode spec) {
        if (spec == null || spec.isNull() || spec.isMissingNode()) {
            throw new StageFailedException("the workflow state has no $.spec (ValidateSpec runs first)");
        }
        try {
            return EnvironmentSpecs.fromTree(spec);
        } catch (InvalidSpecException e) {
            throw new StageFailedException(e.getMessage(), e);
        }
    }

    /** {@code $.run}, which the state machine's Prepare state always sets. */
    public static Run run(Run run) {
        if (run == null) throw new StageFailedException("the workflow state has no $.run (the workflow's Prepare state sets it)");
        return run;
    }

    /** {@code value}, or a StageFailedException naming the JSON path and the stage that should have produced it. */
    public static <T> T require(T value, String path, String producedBy) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new StageFailedException("the workflow state has no " + path + " (" + producedBy + " runs first)");
        }
        return value;
    }
}
