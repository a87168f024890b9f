package dev.pipeline.local.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An HTTP answer the gateway sends back: from moto, from an interceptor, or an injected fault. */
public record GatewayResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public GatewayResponse {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        headers = h;
    }

    public static GatewayResponse of(int status, String contentType, String body) {
        return new GatewayResponse(status, Map.of("Content-Type", List.of(contentType)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    public static GatewayResponse json(int status, String body) {
        return of(status, "application/json", body);
    }

    public static GatewayResponse xml(int status, String body) {
        return of(status, "text/xml", body);
    }

    public String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    public String bodyText() { return new String(body, StandardCharsets.UTF_8); }

    public boolean ok() { return status >= 200 && status < 300; }

    public GatewayResponse withBody(String newBody) {
        return new GatewayResponse(status, headers, newBody.getBytes(StandardCharsets.UTF_8));
    }
}
