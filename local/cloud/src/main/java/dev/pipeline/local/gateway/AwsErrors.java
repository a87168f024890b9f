package dev.pipeline.local.gateway;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Error answers shaped as each AWS protocol shapes them, so SDK clients parse code and message as from AWS. */
public final class AwsErrors {
    private AwsErrors() {}

    public static GatewayResponse error(AwsRequest request, int status, String code, String message) {
        return error(request.protocol(), request.service(), status, code, message);
    }

    public static GatewayResponse error(Protocol protocol, String service, int status, String code, String message) {
        String requestId = UUID.randomUUID().toString();
        String msg = xmlEscape(message);
        String type = status >= 500 ? "Receiver" : "Sender";
        return switch (protocol) {
            case EC2 -> withRequestId(GatewayResponse.xml(status,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>"
                            + msg + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>"), requestId);
            case QUERY -> withRequestId(GatewayResponse.xml(status,
                    "<ErrorResponse><Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>" + msg
                            + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>"), requestId);
            case REST_XML -> "s3".equals(service)
                    ? withRequestId(GatewayResponse.xml(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                            + "</Code><Message>" + msg + "</Message><RequestId>" + requestId + "</RequestId></Error>"), requestId)
                    : withRequestId(GatewayResponse.xml(status,
                            "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>"
                                    + type + "</Type><Code>" + code + "</Code><Message>" + msg
                                    + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>"), requestId);
            case REST_JSON -> jsonError(status, code, "{\"Type\":\"" + ("Sender".equals(type) ? "User" : "Service")
                    + "\",\"message\":" + jsonString(message) + "}", requestId, "application/json");
            case JSON, NONE -> jsonError(status, code, "{\"__type\":" + jsonString(code) + ",\"message\":" + jsonString(message) + "}",
                    requestId, "application/x-amz-json-1.0");
        };
    }

    /** The code an SDK's standard retry policy treats as throttling, per service, with its HTTP status. */
    public static Map.Entry<Integer, String> throttling(AwsRequest request) {
        return switch (request.service()) {
            case "ec2" -> Map.entry(503, "RequestLimitExceeded");
            case "s3" -> Map.entry(503, "SlowDown");
            case "lambda" -> Map.entry(429, "TooManyRequestsException");
            case "route53" -> Map.entry(400, "Throttling");
            default -> request.protocol() == Protocol.QUERY ? Map.entry(400, "Throttling") : Map.entry(400, "ThrottlingException");
        };
    }

    /** The code AWS gives for a resource it does not (yet) see, per service and operation; eventual consistency looks like this. */
    public static Map.Entry<Integer, String> notFound(AwsRequest request) {
        String op = request.operation();
        return switch (request.service()) {
            case "ec2" -> Map.entry(400,
                    op.contains("Instance") ? "InvalidInstanceID.NotFound"
                    : op.contains("SecurityGroup") ? "InvalidGroup.NotFound"
                    : op.contains("Image") ? "InvalidAMIID.NotFound"
                    : op.contains("LaunchTemplate") ? "InvalidLaunchTemplateId.NotFound"
                    : op.contains("Snapshot") ? "InvalidSnapshot.NotFound"
                    : op.contains("Subnet") ? "InvalidSubnetID.NotFound"
                    : op.contains("Vpc") ? "InvalidVpcID.NotFound"
                    : "InvalidID.NotFound");
            case "elasticloadbalancing" -> Map.entry(400,
                    op.contains("TargetGroup") || op.contains("Target") ? "TargetGroupNotFound"
                    : op.contains("Listener") ? "ListenerNotFound" : "LoadBalancerNotFound");
            case "route53" -> Map.entry(404, "NoSuchHostedZone");
            case "s3" -> Map.entry(404, op.contains("Object") ? "NoSuchKey" : "NoSuchBucket");
            case "states" -> Map.entry(400, op.contains("Execution") && !op.equals("StartExecution") ? "ExecutionDoesNotExist" : "StateMachineDoesNotExist");
            case "ssm" -> Map.entry(400, "ParameterNotFound");
            case "autoscaling" -> Map.entry(400, "ValidationError");
            case "lambda", "dynamodb" -> Map.entry(request.service().equals("lambda") ? 404 : 400, "ResourceNotFoundException");
            case "sns" -> Map.entry(404, "NotFound");
            default -> Map.entry(404, "ResourceNotFoundException");
        };
    }

    private static GatewayResponse jsonError(int status, String code, String body, String requestId, String contentType) {
        return new GatewayResponse(status, Map.of(
                "Content-Type", List.of(contentType),
                "x-amzn-ErrorType", List.of(code),
                "x-amzn-RequestId", List.of(requestId)), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static GatewayResponse withRequestId(GatewayResponse r, String requestId) {
        Map<String, List<String>> h = new java.util.HashMap<>(r.headers());
        h.put("x-amzn-RequestId", List.of(requestId));
        h.put("x-amz-request-id", List.of(requestId));
        return new GatewayResponse(r.status(), h, r.body());
    }

    public static String xmlEscape(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public static String jsonString(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s == null ? "" : s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
