package dev.pipeline.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.demo.DemoCommand;
import dev.pipeline.local.LocalCloud;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench instances}: what the instance model costs. For 2, 8 and 20 instances launched at once on a fresh local
 * cloud, the wall time from RunInstances until each instance's own Tomcat serves a page (boot ms: median and max) and
 * the resident memory they add (the local cloud's JVM plus every process under it, before and after, per instance);
 * and the demo's wall time. Writes a Markdown table (and, with --json, prints one JSON document).
 */
public final class BenchInstancesCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A boot that ends with Tomcat serving a JSP: what every app instance of the pipeline does, minus the WAR download. */
    private static final String USER_DATA = """
            #!/bin/bash
            set -euo pipefail
            dnf install -y tomcat9
            mkdir -p /var/lib/tomcat9/webapps/ROOT
            echo '<%= "served by this instance" %>' > /var/lib/tomcat9/webapps/ROOT/index.jsp
            systemctl enable tomcat9
            systemctl start tomcat9
            """;

    @Override public String name() { return "bench instances"; }

    @Override public String summary() { return "Measure the instance model's cost (boot ms, resident MB at 2, 8, 20 instances) and the demo's wall time"; }

    @Override public String description() {
        return """
            Starts a local cloud in this process (default time scale) for each size in --sizes, launches that many
            instances at once whose user data installs tomcat9, writes a JSP and starts Tomcat, and times each one
            from RunInstances until its own Tomcat answers the page (through the instance model's address, as the
            load balancer reaches it). Resident memory is this JVM plus every process under it (/proc), measured
            before the launch and once all serve; the difference is divided by the instance count. Then runs
            './pipeline demo' in this process and times it (--no-demo skips it). Writes a Markdown report to --out
            and prints it, or prints JSON with --json.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("out", "FILE", "docs/benchmarks/instances.md", "Where to write the Markdown report"),
                Option.value("sizes", "LIST", "2,8,20", "Instance counts to measure, comma-separated"),
                Option.flag("no-demo", "Do not time the demo"),
                Option.flag("json", "Print one JSON document instead of the Markdown table"));
    }

    record Size(int instances, long bootMedianMs, long bootMaxMs, double rssBeforeMb, double rssAfterMb, double mbPerInstance) {}

    @Override
    public int run(Options options, CliContext context) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : options.value("sizes").orElse("2,8,20").split(",")) {
            if (!s.isBlank() && !s.trim().equals("0")) sizes.add(Integer.parseInt(s.trim()));
        }
        PrintStream log = context.err();
        List<Size> results = new ArrayList<>();
        for (int n : sizes) {
            log.println("Measuring " + n + " instances ...");
            results.add(measure(n, log));
        }
        Double demoSeconds = null;
        String demoOutcome = "not run";
        if (!options.flag("no-demo")) {
            log.println("Timing the demo ...");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            DemoCommand demo = new DemoCommand();
            int code = demo.run(Options.parse(demo, List.of()),
                    new CliContext(new PrintStream(buf, true, StandardCharsets.UTF_8), log, context.workspace()));
            demoSeconds = (System.nanoTime() - t0) / 1e9;
            demoOutcome = code == Main.OK ? "succeeded" : "FAILED (exit " + code + ")";
        }
        String report = markdown(results, demoSeconds, demoOutcome, sizes);
        Path out = context.workspace().root().resolve(options.value("out").orElseThrow());
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        if (options.flag("json")) {
            ObjectNode j = JSON.createObjectNode();
            j.put("timeScale", dev.pipeline.local.clock.LocalClock.DEFAULT_SCALE);
            ArrayNode a = j.putArray("sizes");
            for (Size s : results) a.add(JSON.valueToTree(s));
            if (demoSeconds != null) j.put("demoSeconds", demoSeconds);
            j.put("demo", demoOutcome);
            context.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(j));
        } else {
            context.out().print(report);
            context.out().println("Wrote " + context.workspace().show(out));
        }
        return Main.OK;
    }

    private static Size measure(int n, PrintStream log) throws Exception {
        try (LocalCloud cloud = LocalCloud.start(0); HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            Ec2Client ec2 = cloud.client(Ec2Client.class);
            String image = ec2.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
            System.gc();
            double before = residentMb();
            Instant t0 = Instant.now();
            List<String> ids = ec2.runInstances(b -> b.imageId(image).instanceType(InstanceType.T3_MICRO).minCount(n).maxCount(n)
                    .userData(Base64.getEncoder().encodeToString(USER_DATA.getBytes(StandardCharsets.UTF_8))))
                    .instances().stream().map(i -> i.instanceId()).toList();
            Map<String, Long> servedMs = new HashMap<>();
            Instant deadline = t0.plus(Duration.ofMinutes(5));
            while (servedMs.size() < n && Instant.now().isBefore(deadline)) {
                for (String id : ids) {
                    if (servedMs.containsKey(id)) continue;
                    var at = cloud.instanceEndpoints().resolve(id, 8080);
                    if (at.isEmpty()) continue;
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.get().getPort() + "/"))
                                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && r.body().contains("served by")) servedMs.put(id, Duration.between(t0, Instant.now()).toMillis());
                    } catch (IOException e) {
                        // not up yet
                    }
                }
                Thread.sleep(50);
            }
            if (servedMs.size() < n) log.println("  only " + servedMs.size() + " of " + n + " instances served within 5 minutes");
            System.gc();
            double after = residentMb();
            List<Long> ms = servedMs.values().stream().sorted().toList();
            long median = ms.isEmpty() ? -1 : ms.get(ms.size() / 2);
            long max = ms.isEmpty() ? -1 : ms.getLast();
            log.printf("  %d instances: boot median %d ms, max %d ms; resident %.0f -> %.0f MB%n", n, median, max, before, after);
            return new Size(n, median, max, round(before), round(after), round((after - before) / n));
        }
    }

    private static double round(double v) { return Math.round(v * 10) / 10.0; }

    /** Resident MB of this process and every process below it (the boot scripts' bubblewrap sandboxes, moto). */
    static double residentMb() {
        long self = ProcessHandle.current().pid();
        long kb = rssKb(self);
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) kb += rssKb(p.pid());
        return kb / 1024.0;
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // the process ended meanwhile
        }
        return 0;
    }

    private static String markdown(List<Size> results, Double demoSeconds, String demoOutcome, List<Integer> sizes) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Instance model and demo: measured\n\n");
        sb.append("`./pipeline bench instances --sizes ").append(String.join(",", sizes.stream().map(String::valueOf).toList()))
                .append("` (add `--json` for JSON), on ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (shared), ")
                .append(System.getProperty("java.version")).append(", time scale ").append(dev.pipeline.local.clock.LocalClock.DEFAULT_SCALE)
                .append(" (AWS's 30 s boot = ").append(Math.round(30_000 / dev.pipeline.local.clock.LocalClock.DEFAULT_SCALE)).append(" ms).\n\n");
        sb.append("Boot: RunInstances (all at once) until the instance's own Tomcat serves its JSP. Resident: the local cloud's JVM plus\n"
                + "every process under it (moto, boot sandboxes), before the launch and once all serve.\n\n");
        sb.append("| Instances | Boot median (ms) | Boot max (ms) | Resident before (MB) | Resident after (MB) | MB per instance |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|\n");
        for (Size s : results) {
            sb.append("| ").append(s.instances()).append(" | ").append(s.bootMedianMs()).append(" | ").append(s.bootMaxMs()).append(" | ")
                    .append(s.rssBeforeMb()).append(" | ").append(s.rssAfterMb()).append(" | ").append(s.mbPerInstance()).append(" |\n");
        }
        sb.append("\nDemo (`./pipeline demo`, in process): ").append(demoSeconds == null ? "not run" : String.format("%.1f s wall", demoSeconds))
                .append(", ").append(demoOutcome).append(".\n");
        return sb.toString();
    }
}
