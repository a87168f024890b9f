package dev.pipeline.local.instances;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * An instance's tomcat9 service: a real Tomcat (embedded, 11.0) serving every application in that instance's
 * webapps directory (ROOT as "/"), on a loopback port of its own. Started and stopped by the instance's systemctl.
 */
final class EmbeddedTomcat {
    static {
        // Tomcat logs every start through java.util.logging; a fleet of them would drown the local cloud's output.
        Logger.getLogger("org.apache").setLevel(Level.WARNING);
    }

    private final Path webapps;
    private final Path workDir;
    private final int port;
    private Tomcat tomcat;

    EmbeddedTomcat(Path webapps, Path workDir, int port) {
        this.webapps = webapps;
        this.workDir = workDir;
        this.port = port;
    }

    int port() { return port; }

    synchronized boolean running() { return tomcat != null; }

    synchronized void start() throws IOException, LifecycleException {
        if (tomcat != null) return;
        Files.createDirectories(workDir);
        Tomcat t = new Tomcat();
        t.setBaseDir(workDir.toString());
        t.setPort(port);
        t.getConnector().setProperty("address", "127.0.0.1");
        t.getHost().setAppBase(webapps.toString());
        t.getHost().setAutoDeploy(false);
        if (Files.isDirectory(webapps)) {
            try (Stream<Path> apps = Files.list(webapps)) {
                for (Path app : apps.sorted().toList()) {
                    String name = app.getFileName().toString();
                    boolean war = name.endsWith(".war") && Files.isRegularFile(app);
                    if (!Files.isDirectory(app) && !war) continue;
                    String base = war ? name.substring(0, name.length() - 4) : name;
                    if (war && Files.isDirectory(webapps.resolve(base))) continue; // the unpacked directory wins, as in Tomcat
                    var context = (org.apache.catalina.core.StandardContext)
                            t.addWebapp(base.equals("ROOT") ? "" : "/" + base, app.toAbsolutePath().toString());
                    // leak detection needs --add-opens and warns on every stop otherwise; these webapps die with their instance
                    context.setClearReferencesThreadLocals(false);
                    context.setClearReferencesRmiTargets(false);
                }
            }
        }
        try {
            t.start();
            // Tomcat logs a connector that cannot bind and starts anyway; a service that answers nowhere must fail
            if (t.getConnector().getState() != org.apache.catalina.LifecycleState.STARTED)
                throw new IOException("tomcat9: cannot listen on 127.0.0.1:" + port + " (" + t.getConnector().getState() + ")");
        } catch (LifecycleException | IOException | RuntimeException e) {
            destroy(t);
            throw e;
        }
        tomcat = t;
    }

    synchronized void stop() {
        if (tomcat == null) return;
        destroy(tomcat);
        tomcat = null;
    }

    private static void destroy(Tomcat t) {
        try {
            t.stop();
            t.destroy();
        } catch (LifecycleException e) {
            // stopping is best effort: the port is released when the connector is destroyed
        }
    }
}
