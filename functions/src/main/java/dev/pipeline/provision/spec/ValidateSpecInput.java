package dev.pipeline.provision.spec;

import com.fasterxml.jackson.databind.JsonNode;

/** ValidateSpec's part of the workflow state: the spec document as the user wrote it (other fields ignored). */
public record ValidateSpecInput(JsonNode spec) {}
