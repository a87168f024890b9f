package dev.pipeline.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.gateway.ControlApi;
import dev.pipeline.local.gateway.EdgeGateway;
import dev.pipeline.local.gateway.FaultRule;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.lambda.FunctionDefinition;
import dev.pipeline.local.lambda.LocalLambdaRuntime;
import software.amazon.awssdk.core.SdkClient;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * The emulated AWS: moto_server behind the edge gateway, one endpoint for every client.
 * Start it, point SDK clients at {@link #endpoint()} (or take them from {@link #client(Class)}),
 * register the Lambda functions state machines call, reset between tests, close when done.
 */
public final class LocalCloud implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    private final EdgeGateway gateway;
    private final MotoProcess moto;
    private final LocalLambdaRuntime lambda;
    private final Duration startTime;
    private final dev.pipeline.local.clock.LocalClock clock;
    private final Instant startedAt = Instant.now();
    private final Map<Class<?>, Object> clients = new ConcurrentHashMap<>();
    private volatile Runnable onShutdownRequest = () -> {};
    private volatile dev.pipeline.local.instances.InstanceEndpoints instanceEndpoints =
            dev.pipeline.local.instances.InstanceEndpoints.NONE;

    private LocalCloud(EdgeGateway gateway, MotoProcess moto, LocalLambdaRuntime lambda, Duration startTime,
                       dev.pipeline.local.clock.LocalClock clock) {
        this.gateway = gateway;
        this.clock = clock;
        this.moto = moto;
        this.lambda = lambda;
        this.startTime = startTime;
    }

    /** Starts a local cloud on a free port. */
    public static LocalCloud start() throws IOException {
        return start(0);
    }

    /**
     * Starts a local cloud with its gateway on 127.0.0.1:{@code port} (0 = any free port).
     *
     * @throws dev.pipeline.local.gateway.PortInUseException when the port is taken
     * @throws MotoNotAvailableException when moto_server 5.2.1 cannot be found or started
     */
    public static LocalCloud start(int port) throws IOException {
        return start(port, new dev.pipeline.local.clock.LocalClock(dev.pipeline.local.clock.LocalClock.DEFAULT_SCALE));
    }

    /** Starts a local cloud whose modelled AWS durations run on {@code clock}. */
    public static LocalCloud start(int port, dev.pipeline.local.clock.LocalClock clock) throws IOException {
        long t0 = System.nanoTime();
        LocalLambdaRuntime lambda = new LocalLambdaRuntime();
        EdgeGateway gateway = null;
        MotoProcess moto = null;
        try {
            gateway = new EdgeGateway(port, lambda);
            lambda.baseEnvironment(functionEnvironment(URI.create("http://127.0.0.1:" + gateway.port())));
            moto = MotoProcess.start(gateway.port(), clock.scale());
            LocalCloud cloud = new LocalCloud(gateway, moto, lambda, Duration.ofNanos(System.nanoTime() - t0), clock);
            LocalCloudWiring.install(cloud);
            gateway.start(MotoForwarder.keepingSpareConnection(moto.endpoint()));
            return cloud;
        } catch (IOException | RuntimeException e) {
            if (gateway != null) gateway.close();
            if (moto != null) moto.close(); // never leave a moto behind a cloud that did not start
            lambda.close();
            throw e;
        }
    }

    /** The one endpoint every AWS client uses. */
    public URI endpoint() { return URI.create("http://127.0.0.1:" + gateway.port()); }

    /**
     * What a function (or code wired like one) needs in its environment to use a local cloud at {@code endpoint}:
     * the endpoint, region and fixed credentials, and PIPELINE_LOCAL. The in-process runtime gives every function
     * these; code that wires a stage's service outside it starts from them.
     */
    public static Map<String, String> functionEnvironment(URI endpoint) {
        return Map.of(
                "AWS_ENDPOINT_URL", endpoint.toString(),
                "AWS_REGION", REGION,
                "AWS_DEFAULT_REGION", REGION,
                "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                "PIPELINE_LOCAL", "true");
    }

    public int port() { return gateway.port(); }

    public URI motoEndpoint() { return moto.endpoint(); }

    public Duration startTime() { return startTime; }

    /** The clock every modelled AWS duration (boot, image, health checks, warm-up) waits on. */
    public dev.pipeline.local.clock.LocalClock clock() { return clock; }

    /** The last lines moto wrote to its error output: what to read when moto answers 500. */
    public String motoLog() { return moto.stderrTail(); }

    public EdgeGateway gateway() { return gateway; }

    /** Where instances' services listen (set by the instance model, read by the load balancer). */
    public dev.pipeline.local.instances.InstanceEndpoints instanceEndpoints() { return instanceEndpoints; }

    public void instanceEndpoints(dev.pipeline.local.instances.InstanceEndpoints endpoints) { this.instanceEndpoints = endpoints; }

    private volatile dev.pipeline.local.instances.InstanceModel instanceModel;

    /** The instances as little machines (boot scripts, consoles, images); also the {@link #instanceEndpoints()}. */
    public dev.pipeline.local.instances.InstanceModel instanceModel() { return instanceModel; }

    void instanceModel(dev.pipeline.local.instances.InstanceModel model) {
        this.instanceModel = model;
        this.instanceEndpoints = model;
    }

    public LocalLambdaRuntime lambda() { return lambda; }

    /** Registers a function for Lambda Invoke (and so for state machine Task states). */
    public void register(FunctionDefinition function) { lambda.register(function); }

    /** The ARN a state machine uses to call a registered function. */
    public static String functionArn(String name) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + name;
    }

    public void addInterceptor(Interceptor interceptor) { gateway.addInterceptor(interceptor); }

    /** An interceptor that answers before every other (IAM and the emulation included): a test's stand-in for AWS. */
    public void addInterceptorFirst(Interceptor interceptor) { gateway.addInterceptorFirst(interceptor); }

    public void injectFault(FaultRule rule) { gateway.faults().add(rule); }

    public void clearFaults() { gateway.faults().clear(); }

    /** Per-operation call counts since the last reset ("service:Operation" -> count). */
    public Map<String, Long> counters() { return gateway.counters().snapshot(); }

    public long count(String service, String operation) { return gateway.counters().get(service + ":" + operation); }

    /** Clears moto's state and the gateway's (faults, counters, refreshes, relays). */
    public void reset() throws IOException {
        try {
            gateway.reset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during reset", e);
        }
    }

    /** Called when a client asks the local cloud to stop (POST /_local/shutdown). */
    public void onShutdownRequest(Runnable r) { onShutdownRequest = r; }

    void requestShutdown() { onShutdownRequest.run(); }

    ObjectNode status() {
        ObjectNode n = ControlApi.JSON.createObjectNode();
        n.put("endpoint", endpoint().toString());
        n.put("gatewayPort", port());
        n.put("motoPort", moto.port());
        n.put("motoAlive", moto.alive());
        n.put("motoVersion", MotoProcess.EXPECTED_VERSION);
        n.put("python", moto.python());
        n.put("region", REGION);
        n.put("timeScale", clock.scale());
        n.put("startSeconds", startTime.toMillis() / 1000.0);
        n.put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds());
        n.set("functions", ControlApi.JSON.valueToTree(lambda.functionNames().stream().sorted().toList()));
        return n;
    }

    /**
     * An SDK v2 client of the given type pointed at this local cloud (region, static credentials, endpoint,
     * path-style S3). Cached: clients are thread-safe and live as long as the cloud.
     */
    @SuppressWarnings("unchecked")
    public <T extends SdkClient> T client(Class<T> type) {
        return (T) clients.computeIfAbsent(type, t -> newClient(type, o -> {}));
    }

    /** A new client that never retries: what a test uses to see each injected error. The caller closes it. */
    public <T extends SdkClient> T newClientWithoutRetries(Class<T> type) {
        return newClient(type, o -> o.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()));
    }

    /** A new client with overridden configuration (e.g. a retry strategy). The caller closes it. */
    public <T extends SdkClient> T newClient(Class<T> type, Consumer<ClientOverrideConfiguration.Builder> override) {
        return newClient(type, override, endpoint());
    }

    /** A new client that bypasses the gateway and talks to moto itself (benchmarks compare the two). The caller closes it. */
    public <T extends SdkClient> T motoClient(Class<T> type) {
        return newClient(type, o -> {}, motoEndpoint());
    }

    private <T extends SdkClient> T newClient(Class<T> type, Consumer<ClientOverrideConfiguration.Builder> override, URI endpoint) {
        return LocalClients.create(type, endpoint, override);
    }

    @Override
    public void close() {
        for (Object c : clients.values()) ((SdkClient) c).close();
        clients.clear();
        gateway.close();
        lambda.close();
        moto.close();
    }
}
