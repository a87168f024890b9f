package dev.pipeline.cli.local;

import dev.pipeline.cli.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCommandsTest {

    @Test
    void uptime_isShortAndReadable() {
        assertThat(LocalStatusCommand.uptime(42)).isEqualTo("42s");
        assertThat(LocalStatusCommand.uptime(185)).isEqualTo("3m 05s");
        assertThat(LocalStatusCommand.uptime(7385)).isEqualTo("2h 03m 05s");
    }

    @Test
    void startFailure_showsTheServersOwnReason_fromItsLog(@TempDir Path dir) throws Exception {
        Workspace ws = new Workspace(dir);
        Path log = ws.logFile(5999);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "Picked up JAVA_TOOL_OPTIONS: -Dx=y\npipeline: moto_server 5.2.1 not found. Install it: pip\n");

        assertThat(LocalStartCommand.failureFromLog(log, ws, 1)).isEqualTo("moto_server 5.2.1 not found. Install it: pip");
    }

    @Test
    void startFailure_withoutAReason_pointsAtTheLog(@TempDir Path dir) throws Exception {
        Workspace ws = new Workspace(dir);
        Path log = ws.logFile(5999);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "Error: Could not find or load main class x\n");

        assertThat(LocalStartCommand.failureFromLog(log, ws, 1))
                .contains("exited with code 1", "Could not find or load main class x", ".pipeline/local-5999.log");
    }

    @Test
    void serveCommand_runsThisClasspath_onThePort() {
        assertThat(LocalStartCommand.serveCommand(5999))
                .containsSubsequence("-cp", "dev.pipeline.cli.Main", "local", "serve", "--port", "5999");
    }
}
