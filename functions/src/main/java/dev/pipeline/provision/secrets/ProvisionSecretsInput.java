package dev.pipeline.provision.secrets;

import com.fasterxml.jackson.databind.JsonNode;

/** ProvisionSecrets' part of the workflow state: the validated spec (other fields ignored). */
public record ProvisionSecretsInput(JsonNode spec) {}
