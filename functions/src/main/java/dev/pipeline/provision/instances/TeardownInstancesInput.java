package dev.pipeline.provision.instances;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state TeardownInstances reads: the spec (whose name tags every instance) and the run. */
public record TeardownInstancesInput(JsonNode spec, Run run) {
}
