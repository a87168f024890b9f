package dev.pipeline.local.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sends a request to moto_server unchanged (or as an interceptor rewrote it) and returns moto's answer as is. */
public final class MotoForwarder {
    static {
        // moto routes S3 virtual-hosted requests by Host; the JDK client drops a caller's Host unless allowed.
        // Read once, when the JDK HTTP client first loads.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive",
            "proxy-connection", "te", "trailer", "http2-settings");

    private final URI base;
    private final HttpClient http;

    public MotoForwarder(URI motoEndpoint) {
        this.base = motoEndpoint;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI endpoint() { return base; }

    /** Forwards {@code request} to moto and returns its answer. */
    public GatewayResponse forward(AwsRequest request) throws IOException, InterruptedException {
        String uri = base.toString().replaceFirst("/$", "") + request.path()
                + (request.rawQuery() == null ? "" : "?" + request.rawQuery());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofMinutes(5))
                .method(request.method(), request.body().length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) continue;
            for (String v : h.getValue()) b.header(h.getKey(), v);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.headers().map().forEach((k, v) -> {
            String lk = k.toLowerCase(java.util.Locale.ROOT);
            if (lk.equals(":status") || (HOP_BY_HOP.contains(lk) && !lk.equals("content-length"))) return;
            headers.put(k, v);
        });
        return new GatewayResponse(r.statusCode(), headers, r.body());
    }

    /** Sends a request the gateway itself builds (control calls to moto-api, query-protocol calls). */
    public GatewayResponse send(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        Map<String, List<String>> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return forward(new AwsRequest(method, path, query, h, body, "", "", Protocol.NONE));
    }
}
