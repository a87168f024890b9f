package dev.pipeline.provision.notify;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the workflow knows when it ends: which workflow, how it ended, the failed stage and its error, and the
 * whole state (from which only names, ids and the site URL are reported; the state holds no secret values).
 */
public record NotifyInput(String workflow, String outcome, String execution, String stage, JsonNode error, JsonNode state) {}
