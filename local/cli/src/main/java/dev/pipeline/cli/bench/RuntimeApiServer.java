package dev.pipeline.cli.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local Lambda Runtime API for one execution environment, the endpoints the runtime interface client calls, as
 * AWS documents them (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): {@code GET
 * /2018-06-01/runtime/invocation/next} hands out the next queued event (with its request id, deadline and function
 * ARN headers) and waits while there is none; {@code POST .../invocation/{id}/response} and {@code .../error} end an
 * invocation; {@code POST /runtime/init/error} reports a failed init. For SnapStart
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks.html) the runtime calls {@code GET
 * /2018-06-01/runtime/restore/next} after the beforeCheckpoint hooks, where Lambda takes the snapshot; here it
 * answers at once (no snapshot is taken), so the JVM goes on as a restored one would, with its hooks already run.
 * Every arrival is time-stamped with {@link System#nanoTime()} for the cold-start benchmark.
 */
final class RuntimeApiServer implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime";

    /** What the runtime did, in nanoTime order. */
    record Mark(String what, long nanos, String body) {}

    private final HttpServer server;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<Mark> marks = new LinkedBlockingQueue<>();
    private final String functionArn;
    private int nextRequest = 1;

    RuntimeApiServer(String functionName) throws IOException {
        this.functionArn = "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() { return "127.0.0.1:" + server.getAddress().getPort(); }

    void enqueue(String event) { events.add(event); }

    /** The next mark, or null after {@code timeoutMillis}. */
    Mark await(long timeoutMillis) throws InterruptedException { return marks.poll(timeoutMillis, TimeUnit.MILLISECONDS); }

    private void handle(HttpExchange x) throws IOException {
        long now = System.nanoTime();
        String path = x.getRequestURI().getPath().substring(BASE.length());
        byte[] body = x.getRequestBody().readAllBytes();
        try {
            if (x.getRequestMethod().equals("GET") && path.equals("/invocation/next")) {
                marks.add(new Mark("next", now, ""));
                String event = events.take();
                String id;
                synchronized (this) { id = "bench-" + nextRequest++; }
                x.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", id);
                x.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
                x.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                x.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                x.getResponseHeaders().add("Content-Type", "application/json");
                marks.add(new Mark("delivered", System.nanoTime(), ""));
                send(x, 200, event);
            } else if (x.getRequestMethod().equals("GET") && path.equals("/restore/next")) {
                marks.add(new Mark("restore", now, ""));
                send(x, 200, "");
            } else if (x.getRequestMethod().equals("POST") && path.endsWith("/response")) {
                marks.add(new Mark("response", now, new String(body, StandardCharsets.UTF_8)));
                send(x, 202, "{\"status\":\"OK\"}");
            } else if (x.getRequestMethod().equals("POST") && (path.endsWith("/error"))) {
                marks.add(new Mark(path.startsWith("/invocation/") ? "error" : "init-error", now, new String(body, StandardCharsets.UTF_8)));
                send(x, 202, "{\"status\":\"OK\"}");
            } else {
                send(x, 404, "{\"errorType\":\"NotFound\",\"errorMessage\":\"" + x.getRequestMethod() + " " + path + "\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = x.getResponseBody()) { out.write(b); }
    }

    List<Mark> drain() {
        List<Mark> all = new ArrayList<>();
        marks.drainTo(all);
        return all;
    }

    @Override public void close() { server.stop(0); }
}
