package dev.pipeline.local.gateway;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's forwarder: the next call's connection is opened ahead, and a dead one never loses or repeats a request. */
class MotoForwarderTest {

    /** A werkzeug-like server: one request per connection, answered with Connection: close. */
    private static final class OneShotServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket();
        final AtomicInteger accepted = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<Socket> open = new CopyOnWriteArrayList<>();
        volatile boolean closeFirst;

        OneShotServer() throws IOException {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket c = socket.accept();
                        open.add(c);
                        int n = accepted.incrementAndGet();
                        if (n == 1 && closeFirst) {
                            c.close(); // the server dropped the idle connection opened ahead
                            continue;
                        }
                        Thread.ofPlatform().daemon().start(() -> serve(c));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket c) {
            try (c) {
                BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
                String line = in.readLine();
                if (line == null) return;
                String h;
                while ((h = in.readLine()) != null && !h.isEmpty()) { /* headers */ }
                requests.add(line);
                OutputStream out = c.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException ignored) {
                // client went away
            }
        }

        URI uri() { return URI.create("http://127.0.0.1:" + socket.getLocalPort()); }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) s.close();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @Test
    void everyCallIsAnsweredOnce_onTheConnectionOpenedAheadOfIt() throws Exception {
        try (OneShotServer server = new OneShotServer()) {
            MotoForwarder f = MotoForwarder.keepingSpareConnection(server.uri());
            await(() -> server.accepted.get() == 1); // opened before any call
            for (int i = 1; i <= 3; i++) {
                GatewayResponse r = f.send("POST", "/call-" + i, Map.of(), new byte[0]);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("ok");
                int calls = i;
                await(() -> server.accepted.get() == calls + 1); // the next one is opened ahead again
            }
            assertThat(server.requests).containsExactly("POST /call-1 HTTP/1.1", "POST /call-2 HTTP/1.1", "POST /call-3 HTTP/1.1");
            f.close();
        }
    }

    @Test
    void aConnectionTheServerClosedBeforeTheCall_isReplaced_andTheRequestSentExactlyOnce() throws Exception {
        try (OneShotServer server = new OneShotServer()) {
            server.closeFirst = true;
            MotoForwarder f = MotoForwarder.keepingSpareConnection(server.uri());
            await(() -> server.accepted.get() == 1);
            Thread.sleep(50); // the close has reached the client side
            GatewayResponse r = f.send("POST", "/once", Map.of(), "x".getBytes(StandardCharsets.UTF_8));
            assertThat(r.bodyText()).isEqualTo("ok");
            assertThat(server.requests).containsExactly("POST /once HTTP/1.1");
            f.close();
        }
    }

    @Test
    void aPlainForwarder_opensNothingAhead() throws Exception {
        try (OneShotServer server = new OneShotServer()) {
            MotoForwarder f = new MotoForwarder(server.uri());
            Thread.sleep(100);
            assertThat(server.accepted.get()).isZero();
            assertThat(f.send("GET", "/", Map.of(), new byte[0]).bodyText()).isEqualTo("ok");
            Thread.sleep(100);
            assertThat(server.accepted.get()).isEqualTo(1);
        }
    }
}
