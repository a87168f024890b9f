package dev.pipeline.provision.verify;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe against a real HTTP server on the loopback interface (no AWS involved). */
class HttpSiteProbeIT {
    private HttpServer server;
    private final HttpSiteProbe probe = new HttpSiteProbe(Duration.ofSeconds(5));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/login", x -> { x.sendResponseHeaders(200, 2); x.getResponseBody().write("ok".getBytes()); x.close(); });
        server.createContext("/down", x -> { x.sendResponseHeaders(503, -1); x.close(); });
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "https://example.com/moved");
            x.sendResponseHeaders(301, -1);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void probe_reportsTheStatus_ofAnAnsweringSite() {
        assertThat(probe.get(url("/login")).status()).isEqualTo(200);
        assertThat(probe.get(url("/down")).status()).isEqualTo(503);
    }

    @Test
    void probe_doesNotFollowRedirects_soThe80To443RedirectIsTheAnswer() {
        SiteProbe.Answer a = probe.get(url("/moved"));
        assertThat(a.status()).isEqualTo(301);
        assertThat(a.location()).isEqualTo("https://example.com/moved");
    }

    @Test
    void probe_reportsAFailure_whenNothingListens() throws IOException {
        int free;
        try (ServerSocket s = new ServerSocket(0)) { free = s.getLocalPort(); }
        SiteProbe.Answer a = probe.get(URI.create("http://127.0.0.1:" + free + "/login"));
        assertThat(a.status()).isZero();
        assertThat(a.error()).contains("Connect");
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
