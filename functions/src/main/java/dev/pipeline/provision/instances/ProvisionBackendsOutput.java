package dev.pipeline.provision.instances;

import java.util.Map;

/**
 * {@code $.backends}: one entry per backend host name ({@code db01}, {@code mc01}, {@code rmq01}); ready once all
 * three run with a private IP, which ProvisionDns turns into records.
 */
public record ProvisionBackendsOutput(boolean ready, Map<String, InstanceStatus> instances) {
}
