package dev.pipeline.provision.spec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * ValidateSpec's part of the workflow state: the spec document as the user wrote it (other fields ignored).
 * {@code checkNetwork} false skips the account checks (VPC and subnets exist): teardown must still run when the
 * user has already deleted their network.
 */
public record ValidateSpecInput(JsonNode spec, Boolean checkNetwork) {
    public boolean checksNetwork() { return checkNetwork == null || checkNetwork; }
}
