package dev.pipeline.local;

import dev.pipeline.local.gateway.PortInUseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting and stopping the local cloud, and what a user sees when it cannot start. */
class LocalCloudLifecycleIT {

    @Test
    void start_onAPortInUse_saysSoClearly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> LocalCloud.start(taken.getLocalPort()))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void start_withoutMoto_namesWhatToInstall() {
        // /usr/bin/python3 on these machines has no moto
        assertThatThrownBy(() -> MotoProcess.start(4566, List.of("/usr/bin/python3", "/no/such/python"), Map.of()))
                .isInstanceOf(MotoNotAvailableException.class)
                .hasMessageContaining("pip install 'moto[server]==5.2.1'")
                .hasMessageNotContaining("Traceback");
    }

    @Test
    void start_withTheWrongMotoVersion_namesTheVersionAndWhatToInstall(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("moto"));
        Files.writeString(dir.resolve("moto/__init__.py"), "__version__ = '4.0.0'\n");

        assertThatThrownBy(() -> MotoProcess.start(4566, List.of("/usr/bin/python3"), Map.of("PYTHONPATH", dir.toString())))
                .isInstanceOf(MotoNotAvailableException.class)
                .hasMessageContaining("moto 4.0.0 found")
                .hasMessageContaining("pinned to 5.2.1")
                .hasMessageContaining("pip install 'moto[server]==5.2.1'");
    }

    @Test
    void close_stopsMoto_andFreesThePort() throws Exception {
        LocalCloud cloud = LocalCloud.start();
        int port = cloud.port();
        var moto = cloud.motoEndpoint();

        cloud.close();

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        assertThatThrownBy(() -> new java.net.Socket(moto.getHost(), moto.getPort()).close())
                .as("moto is gone").isInstanceOf(java.io.IOException.class);
    }
}
