package dev.pipeline.provision.cfn;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** A CloudFormation custom resource request, as CloudFormation sends it. */
public record StackEventInput(@JsonProperty("RequestType") String requestType,
                              @JsonProperty("ResponseURL") String responseUrl,
                              @JsonProperty("StackId") String stackId,
                              @JsonProperty("RequestId") String requestId,
                              @JsonProperty("LogicalResourceId") String logicalResourceId,
                              @JsonProperty("PhysicalResourceId") String physicalResourceId,
                              @JsonProperty("ResourceProperties") JsonNode resourceProperties) {}
