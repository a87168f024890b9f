package dev.pipeline.provision.instances;

/**
 * {@code $.appServer}: app01, ready once running with a private IP. {@code skipped} when the environment already
 * has a golden image, so app01 (which exists only to be imaged) is not built again; then there is no instance.
 */
public record ProvisionAppServerOutput(boolean ready, String instanceId, String privateIp, boolean skipped) {
}
