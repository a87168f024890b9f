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
    /**
     * CloudFormation: "The total size of the response body can't exceed 4096 bytes"
     * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html); bytes of the UTF-8
     * document, not characters. The reason is cut (on a code-point boundary) until the whole document fits.
     */
    static final int BODY_LIMIT_BYTES = 4096;

    public void respond(StackCallback cb, boolean success, String reason, JsonNode data) {
        byte[] body = document(cb, success, reason, data).toString().getBytes(StandardCharsets.UTF_8);
        if (body.length > BODY_LIMIT_BYTES) {
            throw new StageFailedException("the answer to CloudFormation is " + body.length + " bytes even with its reason cut;"
                    + " CloudFormation takes at most " + BODY_LIMIT_BYTES + " (the Data or the ids are too long)");
        }
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
        String r = reason == null ? "" : reason;
        int keep = r.codePointCount(0, r.length());
        ObjectNode d = document(cb, success, r, data, keep);
        int over = size(d) - BODY_LIMIT_BYTES;
        // a code point is 1-4 bytes in UTF-8 and up to 6 as a JSON escape: dropping over/6 of them never cuts more
        // than needed; repeat until the document fits (or the reason is gone: then Data or the ids are too long)
        while (over > 0 && keep > 0) {
            keep = Math.max(0, keep - Math.max(1, over / 6));
            d = document(cb, success, r, data, keep);
            over = size(d) - BODY_LIMIT_BYTES;
        }
        return d;
    }

    private static ObjectNode document(StackCallback cb, boolean success, String reason, JsonNode data, int keepCodePoints) {
        ObjectNode d = JsonHandler.JSON.createObjectNode();
        d.put("Status", success ? "SUCCESS" : "FAILED");
        boolean cut = keepCodePoints < reason.codePointCount(0, reason.length());
        d.put("Reason", cut ? reason.substring(0, reason.offsetByCodePoints(0, keepCodePoints)) + "…" : reason);
        d.put("PhysicalResourceId", cb.physicalResourceId());
        d.put("StackId", cb.stackId());
        d.put("RequestId", cb.requestId());
        d.put("LogicalResourceId", cb.logicalResourceId());
        if (data != null && data.isObject()) d.set("Data", data);
        return d;
    }

    private static int size(ObjectNode d) {
        return d.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
