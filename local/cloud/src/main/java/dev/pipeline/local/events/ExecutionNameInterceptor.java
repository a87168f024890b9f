package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;

import java.util.UUID;

/**
 * StartExecution without a name gets a UUID name, as AWS gives it ("If you don't provide a name for the
 * execution, Step Functions automatically generates a UUID", StartExecution API reference). moto 5.2.1 names
 * it {@code None} instead, so the second unnamed execution of a state machine fails with ExecutionAlreadyExists.
 * No idempotency key: like AWS, every unnamed call is a new execution.
 */
public final class ExecutionNameInterceptor implements Interceptor {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"states".equals(request.service()) || !"StartExecution".equals(request.operation())
                || request.protocol() != Protocol.JSON) {
            return null;
        }
        JsonNode body;
        try {
            body = request.json();
        } catch (java.io.IOException e) {
            return null; // moto answers the malformed request
        }
        if (!body.isObject() || body.hasNonNull("name")) return null;
        ObjectNode named = ((ObjectNode) body).deepCopy();
        named.put("name", UUID.randomUUID().toString());
        return moto.forward(request.withBody(JSON.writeValueAsBytes(named)));
    }
}
