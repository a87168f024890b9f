package dev.pipeline.provision.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec and the run; it finds the group and template by name. */
public record TeardownFleetInput(JsonNode spec, Run run) {
}
