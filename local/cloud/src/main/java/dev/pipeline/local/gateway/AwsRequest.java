package dev.pipeline.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request as the gateway received it, with the AWS service and operation it names.
 * Immutable apart from the lazily parsed views of the body.
 */
public final class AwsRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String service;
    private final String operation;
    private final Protocol protocol;
    private Map<String, String> formParams;

    public AwsRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
                      byte[] body, String service, String operation, Protocol protocol) {
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        this.headers = h;
        this.body = body;
        this.service = service;
        this.operation = operation;
        this.protocol = protocol;
    }

    public String method() { return method; }
    public String path() { return path; }
    /** The query string as received (still URL-encoded), or null. */
    public String rawQuery() { return rawQuery; }
    /** Case-insensitive view of the request headers. */
    public Map<String, List<String>> headers() { return headers; }
    public byte[] body() { return body; }
    /** The signing name of the service (ec2, autoscaling, s3, states, lambda...), or "" when unsigned. */
    public String service() { return service; }
    public String operation() { return operation; }
    public Protocol protocol() { return protocol; }

    public String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /** "service:Operation", the key of counters and fault rules. */
    public String key() { return service + ":" + operation; }

    public String bodyText() { return new String(body, StandardCharsets.UTF_8); }

    /** Form parameters of a query-protocol body (and of the URL query), decoded; in order. */
    public synchronized Map<String, String> formParams() {
        if (formParams == null) {
            Map<String, String> p = new LinkedHashMap<>();
            parseForm(rawQuery, p);
            String ct = header("Content-Type");
            if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                parseForm(bodyText(), p);
            }
            formParams = p;
        }
        return formParams;
    }

    /** The body as JSON (an empty object when the body is empty). */
    public JsonNode json() throws IOException {
        return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    }

    /** Query-string parameters only, decoded. */
    public Map<String, String> queryParams() {
        Map<String, String> p = new LinkedHashMap<>();
        parseForm(rawQuery, p);
        return p;
    }

    /** A copy of this request with another body (Content-Length follows the body when forwarded). */
    public AwsRequest withBody(byte[] newBody) {
        return new AwsRequest(method, path, rawQuery, headers, newBody, service, operation, protocol);
    }

    static void parseForm(String s, Map<String, String> into) {
        if (s == null || s.isEmpty()) return;
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            into.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
    }

    /** Encodes form parameters as a query-protocol body. */
    public static String encodeForm(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!sb.isEmpty()) sb.append('&');
            sb.append(java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8).replace("+", "%20"))
              .append('=')
              .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    @Override
    public String toString() { return method + " " + path + " (" + key() + ")"; }
}
