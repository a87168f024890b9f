package dev.pipeline.local.instances;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A stand-in daemon's port (MariaDB, Memcached, RabbitMQ are not run locally): accepts connections and closes
 * them, so "something listens" checks pass and the load balancer can resolve it. On a loopback port of its own.
 */
final class StandInListener {
    private StandInListener() {}

    /** Listens on 127.0.0.1:{@code port} when it is free (the boot scripts check that port), else on any free port. */
    static ServerSocket open(int port) throws IOException {
        ServerSocket s;
        try {
            s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        } catch (IOException taken) {
            s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        ServerSocket server = s;
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept()) {
                    // nothing to say: the daemon is a stand-in
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }
}
