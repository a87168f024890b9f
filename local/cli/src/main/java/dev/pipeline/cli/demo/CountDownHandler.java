package dev.pipeline.cli.demo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Demo Task: takes {@code {"remaining": n, "waitSeconds": s}} and answers the next lap,
 * {@code {"remaining": n - step, "from": first n, "laps": laps + 1, "waitSeconds": s}}; the Choice after it
 * loops while {@code remaining > 0}. Pure function of its input, so a retried call gives the same answer.
 */
public final class CountDownHandler implements RequestStreamHandler {
    public static final String STEP_VARIABLE = "COUNTDOWN_STEP";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int step;

    public CountDownHandler() {
        this(System.getenv());
    }

    /** As our handlers do: configuration from the function's environment, checked at cold start. */
    public CountDownHandler(Map<String, String> env) {
        String s = env.get(STEP_VARIABLE);
        if (s == null || !s.matches("[1-9][0-9]*")) {
            throw new IllegalStateException(STEP_VARIABLE + " must be a positive whole number, not " + s);
        }
        this.step = Integer.parseInt(s);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        JsonNode input = JSON.readTree(in);
        JsonNode remaining = input.path("remaining");
        if (!remaining.canConvertToInt() || remaining.asInt() < 0) {
            throw new IllegalArgumentException("'remaining' must be a whole number >= 0, got " + remaining);
        }
        int n = remaining.asInt();
        ObjectNode next = JSON.createObjectNode()
                .put("remaining", Math.max(0, n - step))
                .put("from", input.path("from").asInt(n))
                .put("laps", input.path("laps").asInt(0) + 1)
                .put("waitSeconds", input.path("waitSeconds").asInt(1));
        JSON.writeValue(out, next);
    }
}
