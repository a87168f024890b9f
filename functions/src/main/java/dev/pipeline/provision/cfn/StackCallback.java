package dev.pipeline.provision.cfn;

/**
 * Where and how to answer CloudFormation for one custom resource request; carried through the workflow's
 * state as {@code $.callback} so the last state can answer.
 */
public record StackCallback(String responseUrl, String stackId, String requestId, String logicalResourceId,
                            String physicalResourceId) {}
