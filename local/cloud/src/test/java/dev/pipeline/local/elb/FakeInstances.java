package dev.pipeline.local.elb;

import com.sun.net.httpserver.HttpServer;
import dev.pipeline.local.instances.InstanceEndpoints;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A stand-in instance model for the load balancer's tests (the boot engineer's real one runs Tomcat per instance):
 * each instance gets a JDK HTTP server on 127.0.0.1 answering "/" with "served by &lt;instance id&gt;" and "/health"
 * with a code the test chooses, after a delay the test chooses. An instance that is down resolves to nothing.
 */
final class FakeInstances implements InstanceEndpoints, AutoCloseable {
    static final int TOMCAT_PORT = 8080;

    private final class Instance {
        final String id;
        volatile int healthCode;
        volatile long healthDelayMs;
        volatile CountDownLatch healthGate = new CountDownLatch(0);
        volatile boolean up = true;
        volatile int rootCode = 200;
        final HttpServer server;

        Instance(String id, int initialCode) throws IOException {
            this.id = id;
            this.healthCode = initialCode;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/health", x -> {
                try {
                    healthGate.await(10, TimeUnit.SECONDS);
                    if (healthDelayMs > 0) Thread.sleep(healthDelayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer(x, this.healthCode, "health of " + id);
            });
            server.createContext("/", x -> answer(x, rootCode, "served by " + id));
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        }
    }

    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final Function<String, Integer> initialHealthCode;

    /** @param initialHealthCode the health code an instance answers with when it is first asked for */
    FakeInstances(Function<String, Integer> initialHealthCode) {
        this.initialHealthCode = initialHealthCode;
    }

    FakeInstances() { this(id -> 200); }

    private Instance instance(String id) {
        return instances.computeIfAbsent(id, i -> {
            try {
                return new Instance(i, initialHealthCode.apply(i));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public Optional<InetSocketAddress> resolve(String instanceId, int port) {
        if (port != TOMCAT_PORT) return Optional.empty();
        Instance i = instance(instanceId);
        return i.up ? Optional.of(i.server.getAddress()) : Optional.empty();
    }

    void healthCode(String id, int code) { instance(id).healthCode = code; }

    /** What "/" answers (the app's pages; /health is apart): 200 unless set. */
    void rootCode(String id, int code) { instance(id).rootCode = code; }

    void healthDelay(String id, long ms) { instance(id).healthDelayMs = ms; }

    /** Health checks of {@code id} hang until {@link #openHealth} (or 10 s). */
    void holdHealth(String id) { instance(id).healthGate = new CountDownLatch(1); }

    void openHealth(String id) { instance(id).healthGate.countDown(); }

    /** Nothing listens on the instance any more (its Tomcat stopped, or it is gone). */
    void down(String id) { instance(id).up = false; }

    private static void answer(com.sun.net.httpserver.HttpExchange x, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/plain");
        x.sendResponseHeaders(code, b.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        for (Instance i : instances.values()) {
            i.healthGate.countDown();
            i.server.stop(0);
        }
    }
}
