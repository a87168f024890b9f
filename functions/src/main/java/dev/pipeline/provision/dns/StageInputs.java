package dev.pipeline.provision.dns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.InvalidSpecException;

/** The parts of the workflow state every stage needs, checked, so a bad state fails as StageFailedException. */
final class StageInputs {
    private StageInputs() {}

    /** $.spec, validated. ValidateSpec ran first, so a problem here means the state was edited in between. */
    static EnvironmentSpec spec(JsonNode spec) {
        if (spec == null || spec.isNull()) throw new StageFailedException("the workflow state has no spec ($.spec)");
        try {
            return EnvironmentSpecs.fromTree(spec);
        } catch (InvalidSpecException e) {
            throw new StageFailedException(e.getMessage(), e);
        }
    }

    /** $.run, which the state machine's Prepare state always sets. */
    static Run run(Run run) {
        if (run == null) throw new StageFailedException("the workflow state has no run ($.run)");
        return run;
    }
}
