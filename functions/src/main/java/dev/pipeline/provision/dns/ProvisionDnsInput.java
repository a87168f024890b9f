package dev.pipeline.provision.dns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

import java.util.Map;

/**
 * What ProvisionDns reads from the workflow state: the spec, the run, and ProvisionBackends' output
 * ({@code $.backends}). Everything else in the state is ignored.
 */
public record ProvisionDnsInput(JsonNode spec, Run run, Backends backends) {

    /** {@code $.backends}: the backend instances by host name ({@code db01}, {@code mc01}, {@code rmq01}). */
    public record Backends(Map<String, Backend> instances) {}

    /** One backend instance; only {@code privateIp} matters here. */
    public record Backend(String instanceId, String privateIp, String state) {}
}
