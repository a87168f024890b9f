package dev.pipeline.provision.cfn;

import com.fasterxml.jackson.databind.JsonNode;

/** How the workflow ended, where to answer, and the state (for the site URL or the failed stage's cause). */
public record RespondToStackInput(String status, StackCallback callback, String stage, JsonNode error, JsonNode state) {}
