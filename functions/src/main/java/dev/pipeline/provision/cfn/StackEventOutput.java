package dev.pipeline.provision.cfn;

/** The execution started for the request, or why none was (CloudFormation was answered FAILED at once). */
public record StackEventOutput(String executionArn, String refused) {}
