package dev.pipeline.local.gateway;

/** The wire protocols of the AWS APIs the pipeline uses; decides how errors are shaped. */
public enum Protocol {
    /** Form-encoded Action=..., XML answers with ErrorResponse errors (Auto Scaling, ELBv2, IAM, SNS, CloudWatch). */
    QUERY,
    /** Like QUERY, but errors are {@code <Response><Errors>} (EC2 only). */
    EC2,
    /** X-Amz-Target header, JSON body (Step Functions, DynamoDB, SSM, EventBridge, SQS, CodeDeploy). */
    JSON,
    /** REST paths with XML bodies (S3, Route 53). */
    REST_XML,
    /** REST paths with JSON bodies (Lambda). */
    REST_JSON,
    /** Not an AWS API call (the gateway's and moto's own control routes). */
    NONE
}
