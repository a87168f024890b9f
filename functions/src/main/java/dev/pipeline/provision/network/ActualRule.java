package dev.pipeline.provision.network;

/** A rule as it exists in AWS: its id (what revoking and modifying take) and its group. */
public record ActualRule(String ruleId, String groupId, SgRule rule) {}
