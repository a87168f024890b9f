package dev.pipeline.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/** Test function: fails with a retryable domain exception for the first {@code failTimes} calls, then answers. */
public class FlakyHandler implements RequestStreamHandler {
    public static final AtomicInteger CALLS = new AtomicInteger();

    /** A retryable domain exception, as the pipeline's own retryable root would be. */
    public static class NotReadyYetException extends RuntimeException {
        public NotReadyYetException(String m) { super(m); }
    }

    /** A non-retryable domain exception. */
    public static class BadInputException extends RuntimeException {
        public BadInputException(String m) { super(m); }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context ctx) throws IOException {
        ObjectNode input = (ObjectNode) JSON.readTree(in);
        int call = CALLS.incrementAndGet();
        if (input.path("mode").asText().equals("bad")) throw new BadInputException("spec field 'vpcId' is missing");
        if (call <= input.path("failTimes").asInt(0)) throw new NotReadyYetException("not ready yet (call " + call + ")");
        ObjectNode result = JSON.createObjectNode().put("call", call).put("function", ctx.getFunctionName());
        JSON.writeValue(out, result);
    }
}
