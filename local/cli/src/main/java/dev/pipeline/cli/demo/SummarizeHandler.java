package dev.pipeline.cli.demo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** Demo Task: turns the count-down's final state into {@code {"summary": "...", "laps": n}}. Pure, so safe to retry. */
public final class SummarizeHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String functionName;

    public SummarizeHandler() {
        this(System.getenv());
    }

    public SummarizeHandler(Map<String, String> env) {
        this.functionName = env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "Summarize");
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        JsonNode input = JSON.readTree(in);
        int laps = input.path("laps").asInt();
        String summary = "counted down from %d to %d in %d lap%s, waiting %d s between laps"
                .formatted(input.path("from").asInt(), input.path("remaining").asInt(), laps, laps == 1 ? "" : "s",
                        input.path("waitSeconds").asInt());
        JSON.writeValue(out, Map.of("summary", summary, "laps", laps, "summarizedBy", functionName));
    }
}
