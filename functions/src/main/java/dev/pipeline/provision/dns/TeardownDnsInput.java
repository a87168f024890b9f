package dev.pipeline.provision.dns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** What TeardownDns reads from the workflow state: the spec and the run. */
public record TeardownDnsInput(JsonNode spec, Run run) {}
