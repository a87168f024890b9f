package dev.pipeline.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test function: records each input it is invoked with (tests read {@link #INPUTS}, and clear it first), answers
 * {"recorded": n}. An input with {"delayMillis": n} is recorded only after that long; one with {"fail": true} is
 * recorded, then fails the invocation.
 */
public class RecordingHandler implements RequestStreamHandler {
    public static final List<JsonNode> INPUTS = new CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context ctx) throws IOException {
        JsonNode input = JSON.readTree(in);
        try {
            Thread.sleep(input.path("delayMillis").asLong(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        INPUTS.add(input);
        if (input.path("fail").asBoolean()) throw new IllegalStateException("asked to fail");
        JSON.writeValue(out, JSON.createObjectNode().put("recorded", INPUTS.size()));
    }
}
