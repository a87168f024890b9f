package dev.pipeline.cli.demo;

import dev.pipeline.cli.CommandFailedException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The sample app's WARs for the demo and the benchmark, made without Maven: the webapp files of
 * {@code local/sample-app} in the checkout with {@code ${app.version}} and {@code ${app.health}} filled in, as that
 * module's filtered war build does (and functions' test helper SampleWars). Same version and health, same bytes.
 */
public final class SampleApp {
    static final String WEBAPP = "local/sample-app/src/main/webapp";

    private final Path webapp;

    public SampleApp(Path repositoryRoot) {
        this.webapp = repositoryRoot.resolve(WEBAPP);
        if (!Files.isDirectory(webapp)) throw new CommandFailedException(WEBAPP + " not found under " + repositoryRoot);
    }

    /** Writes sample-app at {@code version} to {@code file}; {@code healthy=false} makes its /health answer 500. */
    public Path write(Path file, String version, boolean healthy) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(webapp)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path f : files) {
                String text = Files.readString(f).replace("${app.version}", version).replace("${app.health}", healthy ? "ok" : "broken");
                ZipEntry entry = new ZipEntry(webapp.relativize(f).toString().replace('\\', '/'));
                entry.setTime(0); // the same sources make the same bytes, so the same sha256
                zip.putNextEntry(entry);
                zip.write(text.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }
}
