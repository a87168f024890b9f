package dev.pipeline.provision.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** What TeardownImages reads from the workflow state: the spec and the run. */
public record TeardownImagesInput(JsonNode spec, Run run) {}
