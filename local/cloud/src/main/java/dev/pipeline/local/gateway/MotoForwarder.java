package dev.pipeline.local.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends a request to moto_server unchanged (or as an interceptor rewrote it) and returns moto's answer as is.
 *
 * <p>Written on a plain socket rather than java.net.http: the JDK client refuses a caller's {@code Host}
 * header unless a system property is set before the client class first loads anywhere in the JVM, and
 * moto needs the original Host (S3 virtual-hosted buckets, the queue URLs and Location headers it builds).
 * One connection per call: moto's werkzeug server answers {@code Connection: close} to every request anyway.
 *
 * <p>The gateway's forwarder to moto ({@link #keepingSpareConnection}) opens the next call's connection ahead of
 * it, off the request's path: connecting (and werkzeug's accepting it and starting its thread) cost ~0.3-0.5 ms a
 * call on two busy cores, a sixth of what the gateway added. A spare that turns out dead before moto answered a
 * byte (moto closed it) is replaced by a fresh connection once, so the request is sent exactly once to a live
 * moto. Other uses (the load balancers forwarding to instances) keep plain one-shot connections.
 */
public final class MotoForwarder {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive",
            "proxy-connection", "te", "trailer", "http2-settings");
    private static final int READ_TIMEOUT_MS = 300_000;

    private final URI base;
    private final InetSocketAddress address;
    private final boolean spares;
    /** The next call's connection, opened ahead (only with {@link #keepingSpareConnection}). */
    private final AtomicReference<Socket> spare = new AtomicReference<>();
    private final AtomicBoolean refilling = new AtomicBoolean();
    private volatile boolean closed;

    /** A forwarder that opens one connection per call, when the call is made. */
    public MotoForwarder(URI motoEndpoint) {
        this(motoEndpoint, false);
    }

    private MotoForwarder(URI motoEndpoint, boolean spares) {
        this.base = motoEndpoint;
        this.address = new InetSocketAddress(motoEndpoint.getHost(), motoEndpoint.getPort());
        this.spares = spares;
    }

    /** The gateway's forwarder: as {@link #MotoForwarder(URI)}, with the next call's connection opened ahead. */
    public static MotoForwarder keepingSpareConnection(URI motoEndpoint) {
        MotoForwarder f = new MotoForwarder(motoEndpoint, true);
        f.refill();
        return f;
    }

    public URI endpoint() { return base; }

    /** Forwards {@code request} to moto and returns its answer. */
    public GatewayResponse forward(AwsRequest request) throws IOException, InterruptedException {
        byte[] head = head(request);
        Socket ahead = spares ? spare.getAndSet(null) : null;
        if (spares) refill();
        if (ahead != null) {
            try (Socket s = ahead) {
                GatewayResponse r = exchange(s, head, request, true);
                if (r != null) return r;
            }
        }
        try (Socket s = open()) {
            return exchange(s, head, request, false);
        }
    }

    /**
     * Sends the request on {@code s} and reads the answer. On a spare, returns null when the connection turns out
     * closed before moto answered any byte (the request then goes on a fresh connection); once moto has answered
     * a byte, a failure is the caller's, as on a fresh connection.
     */
    private static GatewayResponse exchange(Socket s, byte[] head, AwsRequest request, boolean spare) throws IOException {
        InputStream in = new BufferedInputStream(s.getInputStream(), 16_384);
        try {
            OutputStream out = s.getOutputStream();
            out.write(head);
            out.write(request.body());
            out.flush();
            if (spare) {
                in.mark(1);
                if (in.read() == -1) return null;
                in.reset();
            }
        } catch (java.net.SocketTimeoutException e) {
            throw e; // moto has the request and is slow: never send it twice
        } catch (IOException e) {
            if (spare) return null;
            throw e;
        }
        return read(in, "HEAD".equals(request.method()));
    }

    /** Opens the spare connection in the background, unless one is open or being opened. */
    private void refill() {
        if (closed || spare.get() != null || !refilling.compareAndSet(false, true)) return;
        Thread.ofVirtual().name("moto-connect").start(() -> {
            try {
                Socket s = open();
                if (closed || !spare.compareAndSet(null, s)) s.close();
            } catch (IOException e) {
                // moto not up (yet, or any more): the next call connects itself
            } finally {
                refilling.set(false);
            }
            if (closed) closeSpare();
        });
    }

    /** Closes the spare connection, if any; one-shot connections are not kept. */
    public void close() {
        closed = true;
        closeSpare();
    }

    private void closeSpare() {
        Socket s = spare.getAndSet(null);
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private Socket open() throws IOException {
        Socket s = new Socket();
        s.connect(address, 5_000);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.setTcpNoDelay(true);
        return s;
    }

    private byte[] head(AwsRequest request) {
        StringBuilder head = new StringBuilder(512);
        head.append(request.method()).append(' ').append(request.path());
        if (request.rawQuery() != null) head.append('?').append(request.rawQuery());
        head.append(" HTTP/1.1\r\n");
        boolean host = false;
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            String lk = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lk)) continue;
            if (lk.equals("host")) host = true;
            for (String v : h.getValue()) head.append(h.getKey()).append(": ").append(v).append("\r\n");
        }
        if (!host) head.append("Host: ").append(address.getHostString()).append(':').append(address.getPort()).append("\r\n");
        head.append("Content-Length: ").append(request.body().length).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends a request the gateway itself builds (moto-api calls, rewritten calls). */
    public GatewayResponse send(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return forward(new AwsRequest(method, path, query, h, body, "", "", Protocol.NONE));
    }

    private static GatewayResponse read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/")) {
            throw new IOException("moto answered with no HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        byte[] body;
        String length = first(headers, "Content-Length");
        String encoding = first(headers, "Transfer-Encoding");
        if (head || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = chunked(in);
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length.trim()));
        } else {
            body = in.readAllBytes(); // no framing: the body ends when moto closes the connection
        }
        headers.remove("Transfer-Encoding");
        headers.remove("Connection");
        if (!head) headers.remove("Content-Length"); // the gateway frames the body itself
        return new GatewayResponse(status, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) break;
            int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (n == 0) {
                while ((size = line(in)) != null && !size.isEmpty()) { /* trailers */ }
                break;
            }
            out.write(in.readNBytes(n));
            line(in);
        }
        return out.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String first(Map<String, List<String>> h, String name) {
        List<String> v = h.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
