package dev.pipeline.provision.secrets;

import com.fasterxml.jackson.databind.JsonNode;

/** TeardownSecrets' part of the workflow state: the validated spec (other fields ignored). */
public record TeardownSecretsInput(JsonNode spec) {}
