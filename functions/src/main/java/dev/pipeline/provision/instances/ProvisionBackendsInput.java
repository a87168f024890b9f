package dev.pipeline.provision.instances;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state ProvisionBackends reads: the spec, the run, and the outputs of the security group and secret stages. */
public record ProvisionBackendsInput(JsonNode spec, Run run, SecurityGroupIds securityGroups, SecretParameters secrets) {
}
