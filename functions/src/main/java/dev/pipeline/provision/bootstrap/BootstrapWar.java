package dev.pipeline.provision.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The WAR app01 starts with when the spec names no bootstrap WAR: the project's own sample app (local/sample-app,
 * packed into the functions jar under {@code bootstrap-app/}), whose page says to upload a WAR to
 * {@code releases/}, and whose health page also answers the spec's health-check path, so the environment passes
 * its health checks until the first release replaces it. Same inputs, same bytes.
 */
public final class BootstrapWar {
    private static final List<String> FILES = List.of("index.html", "version.txt", "WEB-INF/health.jsp", "WEB-INF/web.xml");

    private BootstrapWar() {}

    /** The WAR for an environment whose artifacts live in {@code bucket} and whose health check asks {@code healthPath}. */
    public static byte[] build(String bucket, String healthPath) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : FILES) {
                String text = resource(name)
                        .replace("${app.version}", "bootstrap (upload your WAR: aws s3 cp app.war s3://" + bucket + "/releases/)")
                        .replace("${app.health}", "ok");
                if (name.equals("WEB-INF/web.xml") && !"/".equals(healthPath)
                        && !text.contains("<url-pattern>" + healthPath + "</url-pattern>")) {
                    // a second mapping of the same pattern would stop Tomcat from starting the application
                    text = text.replace("</web-app>", """
                              <servlet-mapping>
                                <servlet-name>health</servlet-name>
                                <url-pattern>%s</url-pattern>
                              </servlet-mapping>
                            </web-app>""".formatted(healthPath));
                }
                ZipEntry entry = new ZipEntry(name);
                entry.setTime(0);
                zip.putNextEntry(entry);
                zip.write(text.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BootstrapWar.class.getResourceAsStream("/bootstrap-app/" + name)) {
            if (in == null) throw new IllegalStateException("bootstrap-app/" + name + " is missing from the functions jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
