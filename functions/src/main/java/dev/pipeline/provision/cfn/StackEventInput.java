package dev.pipeline.provision.cfn;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.JsonHandler;

/** What StackEvent reads of a CloudFormation custom resource request. */
public record StackEventInput(String requestType, String responseUrl, String stackId, String requestId,
                              String logicalResourceId, String physicalResourceId, JsonNode resourceProperties) {

    /** The request as the handler receives it. */
    public static StackEventInput of(CloudFormationCustomResourceEvent event) {
        return new StackEventInput(event.getRequestType(), event.getResponseUrl(), event.getStackId(), event.getRequestId(),
                event.getLogicalResourceId(), event.getPhysicalResourceId(),
                event.getResourceProperties() == null ? null : JsonHandler.JSON.valueToTree(event.getResourceProperties()));
    }
}
