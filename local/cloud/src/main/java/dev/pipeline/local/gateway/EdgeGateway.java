package dev.pipeline.local.gateway;

import dev.pipeline.local.lambda.LocalLambdaRuntime;

import java.io.IOException;
import java.net.BindException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one port every client of the local cloud uses. Per request: count it, apply fault rules, serve
 * Lambda Invoke from our handlers, let interceptors fill moto's gaps, and forward everything else to moto.
 */
public final class EdgeGateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EdgeGateway.class.getName());


    private final LoopbackHttpServer server;
    private volatile MotoForwarder moto;
    private final LocalLambdaRuntime lambda;
    private final CallCounters counters = new CallCounters();
    private final FaultInjector faults = new FaultInjector();
    private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
    private final ControlApi control;

    /**
     * Binds 127.0.0.1:{@code port} (0 picks a free port).
     *
     * @throws PortInUseException when the port is taken
     */
    public EdgeGateway(int port, LocalLambdaRuntime lambda) throws IOException {
        this.lambda = lambda;
        try {
            server = new LoopbackHttpServer(port, this::handle);
        } catch (BindException e) {
            throw new PortInUseException(port, e);
        }
        control = new ControlApi(this);
    }

    /** Starts serving; everything not served here goes to {@code moto}. */
    public void start(MotoForwarder moto) {
        this.moto = moto;
        server.start();
    }

    public int port() { return server.port(); }

    public CallCounters counters() { return counters; }

    public FaultInjector faults() { return faults; }

    public ControlApi control() { return control; }

    public MotoForwarder moto() { return moto; }

    public LocalLambdaRuntime lambda() { return lambda; }

    public void addInterceptor(Interceptor interceptor) { interceptors.add(interceptor); }

    /** Puts {@code interceptor} before every other: for tests' one-shot answers that stand in for AWS itself. */
    public void addInterceptorFirst(Interceptor interceptor) { interceptors.addFirst(interceptor); }

    public List<Interceptor> interceptors() { return List.copyOf(interceptors); }

    /** Resets moto (state, not config) and all gateway state: interceptors, faults, counters. */
    public void reset() throws IOException, InterruptedException {
        GatewayResponse r = moto.send("POST", "/moto-api/reset", Map.of(), new byte[0]);
        if (!r.ok()) throw new IOException("moto reset failed: HTTP " + r.status() + " " + r.bodyText());
        resetGatewayState();
    }

    void resetGatewayState() {
        for (Interceptor i : interceptors) i.reset();
        faults.clear();
        counters.clear();
    }

    private GatewayResponse handle(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        AwsRequest request = null;
        try {
            request = RequestClassifier.classify(method, rawPath, rawQuery, headers, body);
            return dispatch(request);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            LOG.log(Level.WARNING, "gateway failed on " + request, e);
            return request == null
                    ? AwsErrors.error(Protocol.NONE, "", 500, "InternalFailure", "gateway error: " + e)
                    : AwsErrors.error(request, 500, "InternalFailure", "local cloud gateway error: " + e);
        }
    }

    private GatewayResponse dispatch(AwsRequest request) throws Exception {
        if (request.path().startsWith("/_local/")) return control.handle(request);
        if (request.path().startsWith("/moto-api/reset") && "POST".equals(request.method())) {
            GatewayResponse r = moto.forward(request);
            if (r.ok()) resetGatewayState();
            return r;
        }
        if (request.protocol() != Protocol.NONE) {
            counters.increment(request.key());
            GatewayResponse fault = faults.apply(request);
            if (fault != null) return fault;
        }
        if ("lambda".equals(request.service()) && "Invoke".equals(request.operation())) {
            for (Interceptor i : interceptors) {
                if (!i.authorizesInvoke()) continue;
                GatewayResponse denied = i.intercept(request, moto);
                if (denied != null) return denied;
            }
            return LambdaInvokeRoute.invoke(request, lambda);
        }
        for (Interceptor i : interceptors) {
            GatewayResponse r = i.intercept(request, moto);
            if (r != null) return r;
        }
        return moto.forward(request);
    }

    @Override
    public void close() {
        for (Interceptor i : interceptors) i.close();
        server.close();
        if (moto != null) moto.close();
    }
}
