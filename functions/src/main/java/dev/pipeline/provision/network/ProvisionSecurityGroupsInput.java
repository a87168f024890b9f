package dev.pipeline.provision.network;

import com.fasterxml.jackson.databind.JsonNode;

/** ProvisionSecurityGroups' part of the workflow state: the validated spec (other fields ignored). */
public record ProvisionSecurityGroupsInput(JsonNode spec) {}
