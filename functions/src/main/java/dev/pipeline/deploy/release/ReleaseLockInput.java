package dev.pipeline.deploy.release;

import dev.pipeline.functions.Run;

/**
 * ReleaseLock's ASL Parameters: {@code {"state.$": "$", "executionArn.$": "$$.Execution.Id"}}; the execution ARN
 * names the state machine the next deploy starts on (a function cannot be given its own state machine's ARN in
 * template.yaml without a circular reference).
 */
public record ReleaseLockInput(State state, String executionArn) {

    /** The parts of the deploy workflow state ReleaseLock reads. */
    public record State(UploadInput upload, Run run, com.fasterxml.jackson.databind.JsonNode spec) {}
}
