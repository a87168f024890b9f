package dev.pipeline.local.instances;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for the instances' services that must keep one port across restarts (an instance's Tomcat answers
 * on the same port after {@code systemctl restart tomcat9}, and its scripts were told that port).
 *
 * <p>A port picked by binding port 0 and closing again is only free for the moment: the next port-0 bind anywhere on
 * the machine (another instance's metadata server, an SDK connection) may be given it before Tomcat binds it, and the
 * ALB's health checks then reach that other server (seen: a target failing with 401, an IMDS answer). So these ports
 * come from below the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}), which port-0 binds
 * never use, and are handed out once per process, starting at an offset of the process id so that two local clouds on
 * one machine rarely meet; each is checked bindable before it is handed out.
 */
final class ServicePorts {
    private static final int LOW = 10_000;
    private static final int HIGH = Math.min(32_768, ephemeralLow()) - 1;
    private static final AtomicInteger NEXT = new AtomicInteger(LOW + (int) (ProcessHandle.current().pid() * 97 % (HIGH - LOW)));

    private ServicePorts() {}

    static int next() throws IOException {
        for (int tries = 0; tries < HIGH - LOW; tries++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement() - LOW, HIGH - LOW);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException inUse) {
                // taken by something else on this machine: the next one
            }
        }
        throw new IOException("no free loopback port between " + LOW + " and " + HIGH);
    }

    private static int ephemeralLow() {
        try { // line-wise: a whole-file read of this /proc file came back as "3" in one sandbox
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim().split("\\s+");
            int low = Integer.parseInt(range[0]);
            return low > LOW + 1_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default range starts there
        }
    }
}
