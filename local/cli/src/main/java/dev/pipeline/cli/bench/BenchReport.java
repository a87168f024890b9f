package dev.pipeline.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** The benchmark's Markdown: what ran, on what machine, and one table per question. */
public final class BenchReport {

    /** The machine the figures were measured on. */
    public record Machine(int cpus, String cpuModel, String os, String java, String loadAverage, ZonedDateTime when) {
        public static Machine current() {
            return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                    Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                    readLoadAverage(), ZonedDateTime.now(ZoneOffset.UTC));
        }

        /** The 1, 5 and 15 minute load averages: how much else the CPUs were doing while we measured. */
        private static String readLoadAverage() {
            try {
                String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
                return f[0] + ", " + f[1] + ", " + f[2];
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }

        private static String readCpuModel() {
            try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
                return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst().orElse("unknown CPU");
            } catch (IOException | RuntimeException e) {
                return "unknown CPU";
            }
        }
    }

    private BenchReport() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every bench takes it: one JSON document on stdout instead of the Markdown (which is still written to --out). */
    public static final Option JSON_FLAG = Option.flag("json", "Print one JSON document instead of the Markdown report");

    /**
     * Writes the Markdown report to {@code out} and prints it, or, with --json, prints {@code json} (the same figures)
     * as the only thing on stdout; progress stays on stderr.
     */
    public static void emit(Options options, CliContext context, Path out, String markdown, ObjectNode json) throws IOException {
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, markdown);
        if (options.flag("json")) {
            json.put("report", context.workspace().show(out));
            context.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            context.out().print(markdown);
            context.out().println("\nWrote " + context.workspace().show(out));
        }
    }

    /** The machine as JSON. */
    public static ObjectNode json(Machine m) {
        return JSON.createObjectNode().put("cpus", m.cpus()).put("cpu", m.cpuModel()).put("os", m.os()).put("java", m.java())
                .put("loadAverage", m.loadAverage()).put("measuredAt", m.when().toString());
    }

    /** Milliseconds statistics as JSON. */
    public static ObjectNode json(Stats x) {
        return JSON.createObjectNode().put("n", x.n()).put("medianMs", x.median()).put("p95Ms", x.p95())
                .put("minMs", x.min()).put("maxMs", x.max());
    }

    /** The local cloud benchmark's results as JSON. */
    public static ObjectNode json(LocalCloudBench.Results r, String command, Machine m) {
        ObjectNode root = JSON.createObjectNode().put("command", command);
        root.set("machine", json(m));
        if (r.status() != null) root.put("moto", r.status().path("motoVersion").asText());
        ObjectNode sr = root.putObject("startAndReset");
        for (Map.Entry<String, Stats> e : r.startAndReset().entrySet()) sr.set(e.getKey(), json(e.getValue()));
        ObjectNode calls = root.putObject("calls");
        root.put("warmupCalls", r.warmup());
        for (Map.Entry<String, Stats[]> e : r.calls().entrySet()) {
            Stats d = e.getValue()[0], g = e.getValue()[1];
            ObjectNode c = calls.putObject(e.getKey());
            c.set("direct", json(d));
            c.set("gateway", json(g));
            c.put("addedMedianMs", g.median() - d.median());
            c.put("ratio", g.median() / d.median());
        }
        return root;
    }

    public static String markdown(LocalCloudBench.Results r, String command, Machine m) {
        StringBuilder b = new StringBuilder();
        JsonNode s = r.status();
        b.append("# Local cloud benchmark\n\n");
        b.append("Measured by `").append(command).append("` on ")
                .append(m.when().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append(".\n\n");
        b.append("| Machine | |\n|---|---|\n");
        b.append("| CPUs (nproc) | ").append(m.cpus()).append(" (").append(m.cpuModel()).append(") |\n");
        b.append("| OS | ").append(m.os()).append(" |\n");
        b.append("| Java | ").append(m.java()).append(" |\n");
        b.append("| Load average (1, 5, 15 min) when the run ended | ").append(m.loadAverage()).append(" |\n");
        if (s != null) {
            b.append("| moto | ").append(s.path("motoVersion").asText()).append(" on ").append(s.path("python").asText()).append(" |\n");
        }
        b.append("\nThe CPUs may be shared with other work (see the load average), so read the figures as orders of magnitude.\n");

        b.append("\n## Start, stop and reset\n\n");
        b.append("| What | n | median | min | max |\n|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Stats> e : r.startAndReset().entrySet()) {
            Stats x = e.getValue();
            b.append("| ").append(e.getKey()).append(" | ").append(x.n()).append(" | ").append(Stats.format(x.median()))
                    .append(" | ").append(Stats.format(x.min())).append(" | ").append(Stats.format(x.max())).append(" |\n");
        }

        b.append("\n## One call through the gateway vs straight to moto\n\n");
        int n = r.calls().values().stream().findFirst().map(x -> x[0].n()).orElse(0);
        b.append("The same SDK v2 call (sync client, url-connection HTTP client) ").append(n)
                .append(" times each way, interleaved, after ").append(r.warmup())
                .append(" warm-up calls each way. Ratio = gateway median / direct median.\n\n");
        b.append("| Call | direct median | direct p95 | gateway median | gateway p95 | added by the gateway (median) | ratio |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Stats[]> e : r.calls().entrySet()) {
            Stats d = e.getValue()[0], g = e.getValue()[1];
            b.append("| ").append(e.getKey()).append(" | ").append(Stats.format(d.median())).append(" | ")
                    .append(Stats.format(d.p95())).append(" | ").append(Stats.format(g.median())).append(" | ")
                    .append(Stats.format(g.p95())).append(" | ").append(Stats.format(g.median() - d.median())).append(" | ")
                    .append("%.2f".formatted(g.median() / d.median())).append(" |\n");
        }
        return b.toString();
    }
}
