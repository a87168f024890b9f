package dev.pipeline.provision.cfn;

/** What CloudFormation was told. */
public record RespondToStackOutput(String status, String reason) {}
