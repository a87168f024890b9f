package dev.pipeline.provision.manifest;

import com.fasterxml.jackson.databind.JsonNode;

/** The provisioning state; the manifest records the stages' outputs. */
public record SaveManifestInput(JsonNode spec, JsonNode run, JsonNode securityGroups, JsonNode secrets, JsonNode backends,
                                JsonNode dns, JsonNode appServer, JsonNode loadBalancer, JsonNode goldenImage,
                                JsonNode launchTemplate, JsonNode fleet, JsonNode verification, JsonNode codeDeploy) {}
