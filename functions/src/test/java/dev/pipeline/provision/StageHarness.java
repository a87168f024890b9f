package dev.pipeline.provision;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/** Calls a stage handler the way the state machine does: the whole state as JSON in, the stage's output as JSON out. */
public final class StageHarness {
    private StageHarness() {}

    /** Invokes {@code handler} with {@code state}; exceptions propagate as the Lambda runtime would report them. */
    public static JsonNode invoke(RequestStreamHandler handler, JsonNode state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(JsonHandler.JSON.writeValueAsBytes(state)), out, null);
            return JsonHandler.JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Invokes {@code handler} as the workflow's wait loop does until its output says {@code ready}: instances boot and
     * images become available in the local cloud's time, not at once. Gives up after six minutes of wall time (a real
     * boot script on a loaded two-core machine), failing with the last output.
     */
    public static JsonNode invokeUntilReady(RequestStreamHandler handler, JsonNode state) {
        return invokeUntilReady(handler, state, out -> "");
    }

    /** As {@link #invokeUntilReady(RequestStreamHandler, JsonNode)}; a failure adds {@code context} of the last output. */
    public static JsonNode invokeUntilReady(RequestStreamHandler handler, JsonNode state,
                                            java.util.function.Function<JsonNode, String> context) {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(6).toNanos();
        while (true) {
            JsonNode out = invoke(handler, state);
            if (out.path("ready").asBoolean(false)) return out;
            if (System.nanoTime() > deadline) throw new AssertionError("still not ready after 6 minutes: " + out + "\n" + context.apply(out));
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A workflow state holding {@code spec} and a fresh {@code run} (token, 1 s polls, started now). */
    public static ObjectNode state(JsonNode spec) {
        ObjectNode s = JsonHandler.JSON.createObjectNode();
        s.set("spec", spec);
        s.set("run", run("test-" + UUID.randomUUID()));
        return s;
    }

    public static ObjectNode run(String token) {
        return JsonHandler.JSON.createObjectNode()
                .put("token", token)
                .put("pollSeconds", 1)
                .put("startedAt", Instant.now().toString())
                .put("timeoutSeconds", 600);
    }
}
