package dev.pipeline.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/** A local cloud's control routes ({@code /_local/status}, {@code /_local/shutdown}) on 127.0.0.1:port, over HTTP. */
public final class LocalControl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    public LocalControl(int port) {
        this.port = port;
    }

    public URI endpoint() { return URI.create("http://127.0.0.1:" + port); }

    public int port() { return port; }

    /** The local cloud's status, or empty when no local cloud answers on the port (nothing there, or another program). */
    public Optional<JsonNode> status() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint().resolve("/_local/status"))
                    // the route answers from memory in milliseconds; a program that accepts and stays silent is not ours
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return Optional.empty();
            JsonNode n = JSON.readTree(r.body());
            return n.has("gatewayPort") && n.has("motoPort") ? Optional.of(n) : Optional.empty();
        } catch (IOException e) {
            // refused, reset, timed out or not JSON: no local cloud of ours answers here
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Asks the local cloud to stop; true when it accepted. */
    public boolean requestShutdown() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint().resolve("/_local/shutdown"))
                    .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (HttpTimeoutException | ConnectException e) {
            return false;
        } catch (IOException e) {
            // the server may close the connection as it stops, before the answer is read: it got the request
            return status().isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether some program listens on 127.0.0.1:port (the gateway binds only there). */
    public boolean portInUse() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
