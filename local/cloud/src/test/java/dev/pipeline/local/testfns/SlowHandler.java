package dev.pipeline.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** Test function that outlives its timeout; also records the environment it was built with. */
public class SlowHandler implements RequestStreamHandler {
    public static volatile Map<String, String> lastEnv;

    public SlowHandler(Map<String, String> env) { lastEnv = env; }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context ctx) throws java.io.IOException {
        try {
            Thread.sleep(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.write("{}".getBytes());
    }
}
