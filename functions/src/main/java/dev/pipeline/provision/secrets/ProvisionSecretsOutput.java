package dev.pipeline.provision.secrets;

/** Parameter NAMES only ({@code $.secrets}): the values never leave Parameter Store through the pipeline. */
public record ProvisionSecretsOutput(String databasePasswordParameter, String brokerPasswordParameter) {}
