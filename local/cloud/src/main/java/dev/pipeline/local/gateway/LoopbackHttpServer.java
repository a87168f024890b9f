package dev.pipeline.local.gateway;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small HTTP/1.1 server on 127.0.0.1, one thread per connection, keep-alive, {@code Expect: 100-continue}
 * and chunked request bodies. It replaced com.sun.net.httpserver, whose selector-to-worker handoff on every
 * keep-alive request cost ~1.3 ms a call on two busy cores: more than a quarter of moto's own time.
 */
public final class LoopbackHttpServer implements AutoCloseable {

    /** Answers one request. Never throws for a request's own faults; the server answers 500 if it does. */
    public interface Handler {
        GatewayResponse handle(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body);
    }

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int IDLE_TIMEOUT_MS = 120_000;
    private static final Set<String> NOT_FORWARDED = Set.of("content-length", "transfer-encoding", "connection", "date");

    private final ServerSocket socket;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public LoopbackHttpServer(int port, Handler handler) throws IOException {
        this.handler = handler;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        } catch (BindException e) {
            s.close();
            throw e;
        }
        this.socket = s;
    }

    public int port() { return socket.getLocalPort(); }

    public void start() {
        Thread.ofPlatform().daemon().name("gateway-accept-" + port()).start(() -> {
            while (!closed) {
                try {
                    Socket c = socket.accept();
                    c.setTcpNoDelay(true);
                    c.setSoTimeout(IDLE_TIMEOUT_MS);
                    open.add(c);
                    Thread.ofPlatform().daemon().name("gateway-conn").start(() -> serve(c));
                } catch (IOException e) {
                    if (closed) return;
                }
            }
        });
    }

    private void serve(Socket c) {
        try (c) {
            InputStream in = new BufferedInputStream(c.getInputStream(), 16_384);
            OutputStream out = new BufferedOutputStream(c.getOutputStream(), 16_384);
            while (!closed) {
                String requestLine = line(in, true);
                if (requestLine == null) return;
                if (requestLine.isEmpty()) continue; // tolerated: a stray CRLF between requests
                String[] parts = requestLine.split(" ");
                if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                    writeRaw(out, 400, "Bad Request", "malformed request line");
                    return;
                }
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                int headerBytes = 0;
                String h;
                while ((h = line(in, false)) != null && !h.isEmpty()) {
                    headerBytes += h.length();
                    if (headerBytes > MAX_HEADER_BYTES) {
                        writeRaw(out, 431, "Request Header Fields Too Large", "headers too large");
                        return;
                    }
                    int colon = h.indexOf(':');
                    if (colon <= 0) continue;
                    headers.computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>()).add(h.substring(colon + 1).trim());
                }
                if (h == null) return;
                if ("100-continue".equalsIgnoreCase(first(headers, "Expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                byte[] body;
                String te = first(headers, "Transfer-Encoding");
                String cl = first(headers, "Content-Length");
                if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                    body = chunked(in);
                } else if (cl != null) {
                    long n = Long.parseLong(cl.trim());
                    if (n < 0 || n > Integer.MAX_VALUE - 16) {
                        writeRaw(out, 413, "Payload Too Large", "body too large for the local cloud");
                        return;
                    }
                    body = in.readNBytes((int) n);
                    if (body.length != n) return; // client went away mid-body
                } else {
                    body = new byte[0];
                }
                String target = parts[1];
                int q = target.indexOf('?');
                String path = q < 0 ? target : target.substring(0, q);
                String query = q < 0 ? null : target.substring(q + 1);
                if (path.startsWith("http://") || path.startsWith("https://")) path = java.net.URI.create(path).getRawPath();
                GatewayResponse r;
                try {
                    r = handler.handle(parts[0], path, query, headers, body);
                } catch (RuntimeException e) {
                    r = AwsErrors.error(Protocol.NONE, "", 500, "InternalFailure", "gateway error: " + e);
                }
                boolean head = "HEAD".equals(parts[0]);
                write(out, r, head);
                boolean keepAlive = parts[2].equals("HTTP/1.1")
                        ? !"close".equalsIgnoreCase(first(headers, "Connection"))
                        : "keep-alive".equalsIgnoreCase(first(headers, "Connection"));
                if (!keepAlive) return;
            }
        } catch (SocketException | java.net.SocketTimeoutException e) {
            // client closed or idled out
        } catch (IOException | RuntimeException e) {
            // malformed framing: drop the connection, as any HTTP server would
        } finally {
            open.remove(c);
        }
    }

    private static void write(OutputStream out, GatewayResponse r, boolean head) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
        for (Map.Entry<String, List<String>> e : r.headers().entrySet()) {
            if (NOT_FORWARDED.contains(e.getKey().toLowerCase(Locale.ROOT))) continue;
            for (String v : e.getValue()) sb.append(e.getKey()).append(": ").append(v).append("\r\n");
        }
        if (head) {
            // HEAD answers carry the length a GET would return (S3 HeadObject's ContentLength), and no body
            String len = r.header("Content-Length");
            sb.append("Content-Length: ").append(len == null ? "0" : len).append("\r\n\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        } else if (r.status() == 204 || r.status() == 304 || r.status() / 100 == 1) {
            sb.append("\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        } else {
            sb.append("Content-Length: ").append(r.body().length).append("\r\n\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(r.body());
        }
        out.flush();
    }

    private static void writeRaw(OutputStream out, int status, String reason, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in, false);
            if (size == null) throw new IOException("connection closed in a chunked body");
            int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (n == 0) {
                String trailer;
                while ((trailer = line(in, false)) != null && !trailer.isEmpty()) { /* trailers are not used */ }
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            line(in, false);
        }
    }

    /** One CRLF- (or LF-) terminated line; null at end of stream before any byte. */
    private static String line(InputStream in, boolean firstOfRequest) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
            if (b.size() > MAX_HEADER_BYTES) throw new IOException("line too long");
        }
        if (c == -1 && (b.size() == 0 || firstOfRequest)) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String first(Map<String, List<String>> h, String name) {
        List<String> v = h.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 416 -> "Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
