package dev.pipeline.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * WARs for the deploy tests, built in memory: the sample app of {@code local/sample-app} (its webapp files with the
 * version filled in, as its Maven build does), a broken variant whose /health answers 500, and hand-made zips for
 * the cases the validator must refuse.
 */
public final class SampleWars {
    private static final Path WEBAPP = locate();
    private static final long FIXED_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0)
            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();

    private SampleWars() {}

    /** The sample app at {@code version}: index.html and version.txt show it, /health answers ok. */
    public static byte[] version(String version) { return build(version, "ok"); }

    /** The demo's "broken v3": a valid WAR whose /health answers 500, so instances from it never turn healthy. */
    public static byte[] broken(String version) { return build(version, "broken"); }

    /**
     * A release that passes its health checks but fails real traffic: /login and /health answer 200, the site's
     * front page ({@code /}) answers 500. Only the environment's 5xx alarm can tell it from a good one.
     */
    public static byte[] failingTraffic(String version) {
        Map<String, byte[]> entries = new LinkedHashMap<>(readEntries(version, "ok"));
        entries.remove("index.html");
        entries.put("index.jsp", "<% response.setStatus(500); %>sample-app failing its users".getBytes());
        entries.computeIfPresent("WEB-INF/web.xml", (k, xml) -> new String(xml)
                .replace("<welcome-file>index.html</welcome-file>", "<welcome-file>index.jsp</welcome-file>").getBytes());
        return zip(entries);
    }

    /**
     * A zip of exactly these entries (deflated), in this order, every entry dated 1980-01-01 as a reproducible build
     * dates them (Maven's project.build.outputTimestamp, the demo's and the bootstrap WAR's builds): two versions of
     * one JSP then carry the same time, which is what made Tomcat serve a stale compiled JSP after an install.
     */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(FIXED_TIME);
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A minimal valid WAR plus one more entry: for entry-name cases. */
    public static byte[] warWith(String extraEntry, byte[] content) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("WEB-INF/web.xml", "<web-app/>".getBytes());
        entries.put(extraEntry, content);
        return zip(entries);
    }

    private static byte[] build(String version, String health) {
        return zip(readEntries(version, health));
    }

    private static Map<String, byte[]> readEntries(String version, String health) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(WEBAPP)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String text = Files.readString(f)
                        .replace("${app.version}", version)
                        .replace("${app.health}", health);
                entries.put(WEBAPP.relativize(f).toString().replace('\\', '/'), text.getBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static Path locate() {
        // tests run in the functions module directory; the sample app is its sibling under local/
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path webapp = p.resolve("local/sample-app/src/main/webapp");
            if (Files.isDirectory(webapp)) return webapp;
        }
        throw new IllegalStateException("local/sample-app/src/main/webapp not found above " + Path.of("").toAbsolutePath());
    }
}
