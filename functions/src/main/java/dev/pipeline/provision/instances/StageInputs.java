package dev.pipeline.provision.instances;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.InvalidSpecException;

/** Reads the parts of the workflow state every stage here needs, failing in a user's words when one is missing. */
final class StageInputs {
    private StageInputs() {
    }

    static EnvironmentSpec spec(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new StageFailedException("spec is missing from the workflow state; ValidateSpec must run first");
        }
        try {
            return EnvironmentSpecs.fromTree(node);
        } catch (InvalidSpecException e) {
            throw new StageFailedException(e.getMessage(), e);
        }
    }

    static Run run(Run run) {
        if (run == null) throw new StageFailedException("run is missing from the workflow state");
        return run;
    }

    static String require(String value, String path, String producer) {
        if (value == null || value.isBlank()) {
            throw new StageFailedException(path + " is missing from the workflow state; " + producer + " must run first");
        }
        return value;
    }
}
