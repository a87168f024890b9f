package dev.pipeline.local.instances;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServicePortsTest {

    @Test
    void servicePorts_areDistinct_andNeverOnesAPortZeroBindCanBeGiven() throws IOException {
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim().split("\\s+");
        int ephemeralLow = Integer.parseInt(range[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = ServicePorts.next();
            assertThat(port).isLessThan(ephemeralLow).isGreaterThanOrEqualTo(10_000);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
        try (ServerSocket any = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(seen).doesNotContain(any.getLocalPort());
        }
    }

    @Test
    void tomcat_whosePortIsTaken_failsToStart_insteadOfAnsweringNowhere(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("webapps/ROOT"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedTomcat tomcat = new EmbeddedTomcat(dir.resolve("webapps"), dir.resolve("work"), taken.getLocalPort());
            assertThatThrownBy(tomcat::start).hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(tomcat.running()).isFalse();
        }
    }
}
