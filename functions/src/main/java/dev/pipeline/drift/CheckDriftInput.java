package dev.pipeline.drift;

import com.fasterxml.jackson.databind.JsonNode;

/** What to check: an environment by name (the schedule's, from the function's {@code ENVIRONMENT_NAME}) or a given spec. */
public record CheckDriftInput(String environment, JsonNode spec) {}
