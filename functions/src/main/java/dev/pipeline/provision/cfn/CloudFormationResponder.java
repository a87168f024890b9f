package dev.pipeline.provision.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.RetryableException;
import dev.pipeline.functions.StageFailedException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Answers CloudFormation: a PUT of the response document to the request's presigned S3 URL. Answering twice
 * with the same content is harmless (the object is overwritten), so a retried answer is safe.
 */
public final class CloudFormationResponder {
    /** CloudFormation rejects response bodies over 4096 bytes; the reason is cut to fit. */
    static final int REASON_MAX = 3000;

    public void respond(StackCallback cb, boolean success, String reason, JsonNode data) {
        byte[] body = document(cb, success, reason, data).toString().getBytes(StandardCharsets.UTF_8);
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(cb.responseUrl()).toURL().openConnection();
            c.setRequestMethod("PUT");
            c.setDoOutput(true);
            c.setConnectTimeout(5_000);
            c.setReadTimeout(10_000);
            // the presigned URL is signed without a content type: sending one breaks the signature
            c.setRequestProperty("Content-Type", "");
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            if (status >= 500) throw new RetryableException("CloudFormation's response URL answered HTTP " + status);
            if (status >= 300) throw new StageFailedException("CloudFormation's response URL refused the answer: HTTP " + status);
        } catch (IOException e) {
            throw new RetryableException("could not reach CloudFormation's response URL: " + e.getMessage(), e);
        }
    }

    static ObjectNode document(StackCallback cb, boolean success, String reason, JsonNode data) {
        ObjectNode d = JsonHandler.JSON.createObjectNode();
        d.put("Status", success ? "SUCCESS" : "FAILED");
        String r = reason == null ? "" : reason;
        d.put("Reason", r.length() > REASON_MAX ? r.substring(0, REASON_MAX) + "…" : r);
        d.put("PhysicalResourceId", cb.physicalResourceId());
        d.put("StackId", cb.stackId());
        d.put("RequestId", cb.requestId());
        d.put("LogicalResourceId", cb.logicalResourceId());
        if (data != null && data.isObject()) d.set("Data", data);
        return d;
    }
}
