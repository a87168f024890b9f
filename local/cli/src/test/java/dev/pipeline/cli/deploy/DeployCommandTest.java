package dev.pipeline.cli.deploy;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DeployCommandTest {

    @Test
    void inPlaceAndBake_excludeEachOther_andNothingIsUploaded(@TempDir Path dir) throws Exception {
        Path war = Files.write(dir.resolve("app.war"), new byte[] {'P', 'K', 3, 4});
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Workspace(dir));

        // no local cloud runs on this port: the refusal comes before anything is resolved or uploaded
        int code = Main.run(new String[] {"deploy", war.toString(), "--in-place", "--bake", "--port", "1"}, ctx);

        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--in-place and --bake exclude each other");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Uploaded");
    }
}
