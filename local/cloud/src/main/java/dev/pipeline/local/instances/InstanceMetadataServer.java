package dev.pipeline.local.instances;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipeline.local.iam.RoleCredentials;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * One instance's IMDS, IMDSv2 only (HttpTokens=required): PUT /latest/api/token with a TTL header of 1..21600
 * seconds gives a token; every GET needs a live token (401 otherwise). Serves what the boot scripts and the AWS
 * CLI ask: instance id, AMI, placement, local IPv4, tags (when the instance allows tags in metadata) and its
 * role's credentials. Under /local-cloud/ it also takes the instance's systemctl calls for real services.
 */
final class InstanceMetadataServer implements AutoCloseable {
    private final LocalInstance instance;
    private final HttpServer server;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();

    InstanceMetadataServer(LocalInstance instance) throws IOException {
        this.instance = instance;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            if (path.startsWith("/local-cloud/")) {
                if (!"POST".equals(method)) { send(x, 405, ""); return; }
                try {
                    instance.control(path.substring("/local-cloud/".length()));
                    send(x, 200, "ok\n");
                } catch (Exception e) {
                    send(x, 500, String.valueOf(e.getMessage()) + "\n");
                }
                return;
            }
            if ("/latest/api/token".equals(path)) {
                if (!"PUT".equals(method)) { send(x, 405, ""); return; }
                // AWS refuses token requests that carry X-Forwarded-For (they come through a proxy)
                if (x.getRequestHeaders().getFirst("X-Forwarded-For") != null) { send(x, 403, ""); return; }
                int ttl;
                try {
                    ttl = Integer.parseInt(String.valueOf(x.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds")));
                } catch (NumberFormatException e) { send(x, 400, ""); return; }
                if (ttl < 1 || ttl > 21600) { send(x, 400, ""); return; }
                String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
                tokens.put(token, Instant.now().plusSeconds(ttl));
                x.getResponseHeaders().add("X-aws-ec2-metadata-token-ttl-seconds", Integer.toString(ttl));
                send(x, 200, token);
                return;
            }
            if (!"GET".equals(method) && !"HEAD".equals(method)) { send(x, 405, ""); return; }
            String token = x.getRequestHeaders().getFirst("X-aws-ec2-metadata-token");
            Instant expiry = token == null ? null : tokens.get(token);
            if (expiry == null || expiry.isBefore(Instant.now())) { send(x, 401, ""); return; }
            String answer = answer(path);
            if (answer == null) send(x, 404, "");
            else send(x, 200, answer);
        }
    }

    private String answer(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path : path;
        LocalInstance i = instance;
        String role = i.roleName();
        return switch (p) {
            case "/latest/meta-data/", "/latest/meta-data" -> String.join("\n", "ami-id", "iam/", "instance-id",
                    "local-ipv4", "placement/", i.metadataTags() ? "tags/" : "");
            case "/latest/meta-data/instance-id" -> i.id();
            case "/latest/meta-data/ami-id" -> i.imageId();
            case "/latest/meta-data/local-ipv4" -> i.privateIp();
            case "/latest/meta-data/placement/region" -> i.region();
            case "/latest/meta-data/placement/availability-zone" -> i.availabilityZone();
            case "/latest/meta-data/iam/security-credentials/" -> role;
            case "/latest/meta-data/iam/info" -> role == null ? null : """
                    {"Code":"Success","LastUpdated":"%s","InstanceProfileArn":"%s","InstanceProfileId":"AIPALOCAL"}"""
                    .formatted(Instant.now().truncatedTo(ChronoUnit.SECONDS), i.instanceProfileArn());
            case "/latest/meta-data/tags/instance", "/latest/meta-data/tags/instance/" ->
                    i.metadataTags() ? String.join("\n", i.tags().keySet()) : null;
            default -> {
                if (role != null && p.equals("/latest/meta-data/iam/security-credentials/" + role)) {
                    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                    yield """
                            {"Code":"Success","LastUpdated":"%s","Type":"AWS-HMAC","AccessKeyId":"%s","SecretAccessKey":"%s","Token":"%s","Expiration":"%s"}"""
                            .formatted(now, RoleCredentials.accessKeyFor(role), RoleCredentials.SECRET,
                                    RoleCredentials.SESSION_TOKEN, now.plus(6, ChronoUnit.HOURS));
                }
                if (i.metadataTags() && p.startsWith("/latest/meta-data/tags/instance/")) {
                    yield i.tags().get(p.substring("/latest/meta-data/tags/instance/".length()));
                }
                yield null;
            }
        };
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/plain");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) try (OutputStream o = x.getResponseBody()) { o.write(b); }
    }

    @Override
    public void close() { server.stop(0); }
}
