package dev.pipeline.local.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.ControlApi;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays CloudFormation's presigned response URL for a custom resource (moto has no custom resources): a PUT of the
 * response document is stored, as S3 stores it, and judged as CloudFormation judges it; a GET returns the verdict.
 * Keyed by request id; the last answer wins (CloudFormation reads the object once; answering twice overwrites it).
 *
 * <pre>
 * PUT /_local/cloudformation/response?request=ID   the provider's answer (what the presigned URL receives)
 * GET /_local/cloudformation/response?request=ID   {"accepted", "status", "reason", "verdict", "bytes", "answer"}
 * </pre>
 *
 * CloudFormation's rules (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html):
 * "The total size of the response body can't exceed 4096 bytes" (bytes, not characters; CloudFormation then fails
 * the resource with "Response object is too long."); Status is SUCCESS or FAILED; Reason is required if FAILED;
 * PhysicalResourceId is a non-empty string "up to 1 KB in size". An answer that breaks one is not accepted: the
 * resource fails with the verdict as its reason, whatever Status the answer said.
 */
public final class CustomResourceResponses implements Interceptor {
    public static final String PATH = "/_local/cloudformation/response";
    public static final int BODY_LIMIT_BYTES = 4096;

    private final Map<String, ObjectNode> verdicts = new ConcurrentHashMap<>();

    /** The response URL to give a custom resource request, on the local cloud at {@code endpoint}. */
    public static String url(URI endpoint, String requestId) {
        return endpoint.toString().replaceFirst("/+$", "") + PATH + "?request="
                + URLEncoder.encode(requestId, StandardCharsets.UTF_8) + "&X-Amz-Signature=local";
    }

    public GatewayResponse route(AwsRequest request) throws Exception {
        String id = request.queryParams().get("request");
        if (id == null || id.isBlank()) throw new IllegalArgumentException("name the custom resource request: ?request=ID");
        if ("GET".equals(request.method())) {
            ObjectNode v = verdicts.get(id);
            if (v == null) return GatewayResponse.json(404, "{\"message\":\"no answer for request " + id + "\"}");
            return ControlApi.ok(v);
        }
        ControlApi.requireMethod(request, "PUT");
        verdicts.put(id, judge(request.body()));
        return new GatewayResponse(200, Map.of(), new byte[0]); // S3 stores whatever is PUT; CloudFormation judges it
    }

    static ObjectNode judge(byte[] body) {
        ObjectNode v = ControlApi.JSON.createObjectNode();
        v.put("bytes", body.length);
        String problem = null;
        JsonNode answer = null;
        if (body.length > BODY_LIMIT_BYTES) {
            problem = "Response object is too long.";
        } else {
            try {
                answer = ControlApi.JSON.readTree(body);
            } catch (Exception e) {
                problem = "Invalid response object: not JSON";
            }
        }
        if (answer != null) {
            v.set("answer", answer);
            String status = answer.path("Status").asText("");
            String physicalId = answer.path("PhysicalResourceId").asText("");
            if (!status.equals("SUCCESS") && !status.equals("FAILED")) problem = "Invalid response object: Status must be SUCCESS or FAILED";
            else if (status.equals("FAILED") && answer.path("Reason").asText("").isEmpty()) problem = "Invalid response object: Reason is required when Status is FAILED";
            else if (physicalId.isEmpty()) problem = "Invalid response object: PhysicalResourceId must be a non-empty string";
            else if (physicalId.getBytes(StandardCharsets.UTF_8).length > 1024) problem = "Invalid response object: PhysicalResourceId is over 1 KB";
        }
        v.put("accepted", problem == null);
        v.put("status", problem == null ? answer.path("Status").asText() : "FAILED");
        v.put("reason", problem == null ? answer.path("Reason").asText("") : problem);
        return v;
    }

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) { return null; }

    @Override
    public void reset() { verdicts.clear(); }
}
