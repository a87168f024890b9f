package dev.pipeline.local.lambda;

import java.util.Map;

/**
 * A Lambda function the local runtime serves: its name, handler ("pkg.Class" or "pkg.Class::method"),
 * timeout and environment, as template.yaml declares them (or as a test registers them).
 */
public record FunctionDefinition(String name, String handler, int timeoutSeconds, Map<String, String> environment) {
    public FunctionDefinition {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("function name is required");
        if (handler == null || handler.isBlank()) throw new IllegalArgumentException("handler is required for " + name);
        if (timeoutSeconds <= 0) throw new IllegalArgumentException("timeout must be > 0 for " + name);
        environment = Map.copyOf(environment);
    }

    public static FunctionDefinition of(String name, Class<?> handlerClass) {
        return new FunctionDefinition(name, handlerClass.getName(), 30, Map.of());
    }

    public FunctionDefinition withTimeout(int seconds) {
        return new FunctionDefinition(name, handler, seconds, environment);
    }

    public String className() {
        int i = handler.indexOf("::");
        return i < 0 ? handler : handler.substring(0, i);
    }
}
