package dev.pipeline.provision.instances;

/**
 * What ProvisionSecrets left at {@code $.secrets}: the NAMES of the SecureString parameters the instances read at
 * boot with their role. Never the values: those must not reach user data, logs or the execution history.
 */
public record SecretParameters(String databasePasswordParameter, String brokerPasswordParameter) {
}
