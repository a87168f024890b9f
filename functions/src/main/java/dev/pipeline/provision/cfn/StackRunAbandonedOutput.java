package dev.pipeline.provision.cfn;

/** Whether CloudFormation was answered now, and why (or why not). */
public record StackRunAbandonedOutput(boolean answered, String reason) {}
