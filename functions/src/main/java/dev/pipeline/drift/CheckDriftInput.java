package dev.pipeline.drift;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code {"environment": "vprofile"}} (the schedule) or {@code {"spec": {...}}} (check against a given spec). */
public record CheckDriftInput(String environment, JsonNode spec) {}
