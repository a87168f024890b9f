package dev.pipeline.provision.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** TeardownSecurityGroups' part of the workflow state: the spec and the run (for its deadline). */
public record TeardownSecurityGroupsInput(JsonNode spec, Run run) {}
