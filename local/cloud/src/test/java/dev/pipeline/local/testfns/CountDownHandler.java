package dev.pipeline.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Test function: {"remaining": n} in, {"remaining": n-1, "done": n-1 <= 0} out. */
public class CountDownHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context ctx) throws IOException {
        int remaining = JSON.readTree(in).path("remaining").asInt() - 1;
        ObjectNode result = JSON.createObjectNode().put("remaining", remaining).put("done", remaining <= 0);
        JSON.writeValue(out, result);
    }
}
