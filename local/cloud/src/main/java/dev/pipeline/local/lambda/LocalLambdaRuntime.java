package dev.pipeline.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serves Lambda Invoke from our handler classes in this JVM, as the Lambda Java runtime would:
 * one handler instance per function (a warm container), the function's environment passed to a
 * {@code (Map<String,String>)} constructor when the class has one, an unhandled exception answered as
 * {@code errorMessage/errorType/stackTrace} with the function error flag, and the function's timeout
 * enforced ({@code Sandbox.Timedout}, the error name Step Functions sees on AWS).
 */
public final class LocalLambdaRuntime implements AutoCloseable {

    /** The result of one invocation: the payload and, when the function failed, its error flag. */
    public record Invocation(byte[] payload, boolean functionError, String requestId) {
        public String payloadText() { return new String(payload, StandardCharsets.UTF_8); }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, FunctionDefinition> functions = new ConcurrentHashMap<>();
    private final Map<String, RequestStreamHandler> instances = new ConcurrentHashMap<>();
    private volatile Map<String, String> baseEnvironment = Map.of();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** Sets the variables every function gets (endpoint, region, credentials), under its own. */
    public void baseEnvironment(Map<String, String> env) {
        this.baseEnvironment = Map.copyOf(env);
    }

    public void register(FunctionDefinition function) {
        functions.put(function.name(), function);
        instances.remove(function.name());
    }

    public Set<String> functionNames() { return Set.copyOf(functions.keySet()); }

    public boolean has(String name) { return functions.containsKey(name); }

    public FunctionDefinition definition(String name) { return functions.get(name); }

    /** Invokes a registered function with a JSON payload; never throws for the function's own failures. */
    public Invocation invoke(String name, byte[] payload) {
        FunctionDefinition fn = functions.get(name);
        if (fn == null) throw new IllegalArgumentException("Function not found: " + name);
        String requestId = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(fn.timeoutSeconds());
        Future<byte[]> f = executor.submit(() -> {
            RequestStreamHandler h = instance(fn);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            h.handleRequest(new ByteArrayInputStream(payload), out, new LocalContext(fn, requestId, deadline));
            return out.toByteArray();
        });
        try {
            return new Invocation(f.get(fn.timeoutSeconds(), TimeUnit.SECONDS), false, requestId);
        } catch (TimeoutException e) {
            f.cancel(true);
            return failure("Sandbox.Timedout", "RequestId: " + requestId + " Error: Task timed out after "
                    + fn.timeoutSeconds() + ".00 seconds", null, requestId);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException ite && ite.getCause() != null) cause = ite.getCause();
            return failure(cause.getClass().getName(), String.valueOf(cause.getMessage()), cause, requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return failure("Runtime.Interrupted", "invocation interrupted", null, requestId);
        }
    }

    private RequestStreamHandler instance(FunctionDefinition fn) throws Exception {
        RequestStreamHandler existing = instances.get(fn.name());
        if (existing != null) return existing;
        synchronized (instances) {
            existing = instances.get(fn.name());
            if (existing != null) return existing;
            Class<?> cls = Class.forName(fn.className());
            if (!RequestStreamHandler.class.isAssignableFrom(cls)) {
                throw new IllegalStateException(fn.className() + " must implement RequestStreamHandler to be served locally");
            }
            Map<String, String> env = new HashMap<>(baseEnvironment);
            env.putAll(fn.environment());
            env.put("AWS_LAMBDA_FUNCTION_NAME", fn.name());
            RequestStreamHandler h;
            try {
                Constructor<?> withEnv = cls.getConstructor(Map.class);
                h = (RequestStreamHandler) withEnv.newInstance(Map.copyOf(env));
            } catch (NoSuchMethodException e) {
                h = (RequestStreamHandler) cls.getConstructor().newInstance();
            }
            instances.put(fn.name(), h);
            return h;
        }
    }

    private static Invocation failure(String type, String message, Throwable cause, String requestId) {
        ObjectNode err = JSON.createObjectNode();
        err.put("errorMessage", message);
        err.put("errorType", type);
        ArrayNode trace = err.putArray("stackTrace");
        if (cause != null) {
            for (StackTraceElement el : cause.getStackTrace()) trace.add(el.toString());
            if (cause.getCause() != null) {
                ObjectNode c = err.putObject("cause");
                c.put("errorMessage", String.valueOf(cause.getCause().getMessage()));
                c.put("errorType", cause.getCause().getClass().getName());
            }
        }
        return new Invocation(err.toString().getBytes(StandardCharsets.UTF_8), true, requestId);
    }

    public void forgetInstances() { instances.clear(); }

    @Override
    public void close() { executor.shutdownNow(); }

    private record LocalContext(FunctionDefinition fn, String requestId, long deadlineNanos) implements Context {
        public String getAwsRequestId() { return requestId; }
        public String getLogGroupName() { return "/aws/lambda/" + fn.name(); }
        public String getLogStreamName() { return "local"; }
        public String getFunctionName() { return fn.name(); }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:" + fn.name(); }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() {
            PrintStream err = System.err;
            return new LambdaLogger() {
                public void log(String message) { err.println("[" + fn.name() + "] " + message); }
                public void log(byte[] message) { log(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
