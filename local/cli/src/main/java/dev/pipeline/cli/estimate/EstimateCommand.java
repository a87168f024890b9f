package dev.pipeline.cli.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.estimate.AwsFigures;
import dev.pipeline.estimate.Estimator;
import dev.pipeline.estimate.Figure;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.InvalidSpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code estimate}: how long provisioning and a deploy of a spec take on AWS and what they cost, before running
 * anything, from {@link Estimator} (every figure with its source). Reads only the spec file.
 */
public final class EstimateCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override public String name() { return "estimate"; }

    @Override public String summary() { return "Predict how long provisioning and a deploy take on AWS, and what they cost"; }

    @Override public String description() {
        return """
            Estimates, for a spec and without touching AWS: the duration of provisioning and of a deploy on AWS,
            step by step with the figures each step is made of and their sources (instance boot, SSM
            registration, CreateImage, health-check interval × healthy threshold, warm-up, refresh batches from
            the spec's minimum and maximum healthy percentages, poll granularity); and the cost of the
            environment per hour and per month and of one deploy, at us-east-1 on-demand list prices (their date
            and pages are printed). Exit 0, or 1 for an invalid spec (every problem listed).""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("spec", "FILE", "examples/vprofile.json", "The environment spec"),
                Option.value("poll", "SECONDS", "30", "The workflows' PollSeconds (template.yaml's default)"),
                Option.flag("json", "Print one JSON document"));
    }

    @Override
    public int run(Options options, CliContext context) throws IOException {
        Path file = context.workspace().root().resolve(options.value("spec").orElseThrow());
        int poll = options.intValue("poll", 1, 3600);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new CommandFailedException("cannot read the spec " + file + ": " + e.getMessage(), e);
        }
        JsonNode spec;
        try {
            spec = EnvironmentSpecs.toTree(EnvironmentSpecs.parse(text));
        } catch (InvalidSpecException e) {
            context.err().println("The spec " + context.workspace().show(file) + " is invalid:");
            e.problems().forEach(p -> context.err().println("  " + p));
            return 1;
        }
        Estimator.Estimate e = new Estimator(poll).estimate(spec);
        ObjectNode json = json(e, context.workspace().show(file), poll);
        if (options.flag("json")) {
            context.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            context.out().print(markdown(json));
        }
        return Main.OK;
    }

    static ObjectNode json(Estimator.Estimate e, String specFile, int poll) {
        ObjectNode root = JSON.createObjectNode();
        root.put("spec", specFile);
        root.put("pollSeconds", poll);
        Map<String, Figure> figures = new LinkedHashMap<>();
        ObjectNode prov = root.putObject("provision");
        prov.put("minutes", round1(e.provisionSeconds() / 60));
        steps(prov.putArray("steps"), e.provision(), figures);
        ObjectNode dep = root.putObject("deploy");
        dep.put("minutes", round1(e.deploySeconds() / 60));
        dep.put("refreshBatches", e.refresh().batches());
        dep.put("refreshBatchSize", e.refresh().batchSize());
        dep.put("minHealthyPercentage", e.refresh().minHealthyPercentage());
        dep.put("maxHealthyPercentage", e.refresh().maxHealthyPercentage());
        dep.put("launchBeforeTerminate", e.refresh().launchBeforeTerminate());
        dep.put("stateTransitions", e.deployTransitions());
        dep.put("lambdaInvocations", e.deployInvocations());
        dep.put("costUsd", round4(e.deployCostUsd()));
        steps(dep.putArray("steps"), e.deploy(), figures);
        costs(dep.putArray("costItems"), e.perDeploy(), figures);
        ObjectNode ip = root.putObject("inPlace");
        ip.put("minutesToLive", round1(e.inPlaceToLiveSeconds() / 60));
        ip.put("minutesUntilImage", round1((e.inPlaceToLiveSeconds() + e.inPlaceImageSeconds()) / 60));
        ip.put("deploymentConfig", e.inPlacePlan().config());
        ip.put("batches", e.inPlacePlan().batches());
        ip.put("batchSize", e.inPlacePlan().batchSize());
        steps(ip.putArray("stepsToLive"), e.inPlace(), figures);
        steps(ip.putArray("stepsUntilImage"), e.inPlaceImage(), figures);
        ObjectNode cost = root.putObject("cost");
        cost.put("perHourUsd", round4(e.perHourUsd()));
        cost.put("perMonthUsd", round2(e.perMonthUsd()));
        cost.put("region", "us-east-1");
        cost.put("pricesAsOf", AwsFigures.PRICES_AS_OF);
        costs(cost.putArray("items"), e.environment(), figures);
        ArrayNode fs = root.putArray("figures");
        for (Figure f : figures.values()) {
            fs.addObject().put("name", f.name()).put("value", f.value()).put("unit", f.unit()).put("source", f.source());
        }
        return root;
    }

    private static void steps(ArrayNode out, List<Estimator.Step> steps, Map<String, Figure> figures) {
        for (Estimator.Step s : steps) {
            ObjectNode o = out.addObject().put("step", s.name()).put("seconds", round1(s.seconds())).put("how", s.how());
            ArrayNode names = o.putArray("figures");
            for (Figure f : s.figures()) {
                names.add(f.name());
                figures.putIfAbsent(f.name(), f);
            }
        }
    }

    private static void costs(ArrayNode out, List<Estimator.CostItem> items, Map<String, Figure> figures) {
        for (Estimator.CostItem c : items) {
            ObjectNode o = out.addObject().put("item", c.name()).put("perHourUsd", round4(c.perHourUsd()))
                    .put("usd", round4(c.perMonthUsd())).put("how", c.how());
            ArrayNode names = o.putArray("figures");
            for (Figure f : c.figures()) {
                names.add(f.name());
                figures.putIfAbsent(f.name(), f);
            }
        }
    }

    /** The README's tables are this output. */
    static String markdown(ObjectNode j) {
        StringBuilder b = new StringBuilder();
        JsonNode d = j.path("deploy"), p = j.path("provision"), c = j.path("cost");
        b.append("Estimate for `").append(j.path("spec").asText()).append("` (PollSeconds ").append(j.path("pollSeconds").asInt())
                .append("): provisioning **~").append(p.path("minutes").asText()).append(" min**, a deploy **~")
                .append(d.path("minutes").asText()).append(" min** (refresh: ").append(d.path("refreshBatches").asInt())
                .append(" batch(es) of ").append(d.path("refreshBatchSize").asInt()).append(", MinHealthyPercentage ")
                .append(d.path("minHealthyPercentage").asInt()).append(", MaxHealthyPercentage ")
                .append(d.path("maxHealthyPercentage").asInt()).append("); the environment **~$")
                .append("%.3f".formatted(c.path("perHourUsd").asDouble())).append(" / hour, ~$")
                .append("%.0f".formatted(c.path("perMonthUsd").asDouble())).append(" / month**, a deploy **~$")
                .append("%.4f".formatted(d.path("costUsd").asDouble())).append("**.\n\n");
        b.append("#### A deploy on AWS\n\n| Step | Estimate | How |\n|---|---:|---|\n");
        for (JsonNode s : d.path("steps")) b.append(row(s));
        b.append("| **Total** | **").append(d.path("minutes").asText()).append(" min** | |\n\n");
        JsonNode ip = j.path("inPlace");
        b.append("#### An in-place release on AWS (`--in-place`, strategy in-place-then-bake)\n\n")
                .append("Live on every instance after **~").append(ip.path("minutesToLive").asText()).append(" min** (")
                .append(ip.path("deploymentConfig").asText()).append(": ").append(ip.path("batches").asInt()).append(" batch(es) of ")
                .append(ip.path("batchSize").asInt()).append("); its image is the launch template's after **~")
                .append(ip.path("minutesUntilImage").asText()).append(" min**, with no instance replaced.\n\n")
                .append("| Step | Estimate | How |\n|---|---:|---|\n");
        for (JsonNode s : ip.path("stepsToLive")) b.append(row(s));
        b.append("| **Live** | **").append(ip.path("minutesToLive").asText()).append(" min** | |\n");
        for (JsonNode s : ip.path("stepsUntilImage")) b.append(row(s));
        b.append("| **Image followed** | **").append(ip.path("minutesUntilImage").asText()).append(" min** | |\n\n");
        b.append("#### Provisioning on AWS\n\n| Step | Estimate | How |\n|---|---:|---|\n");
        for (JsonNode s : p.path("steps")) b.append(row(s));
        b.append("| **Total** | **").append(p.path("minutes").asText()).append(" min** | |\n\n");
        b.append("#### What it costs (us-east-1 on-demand, prices as of ").append(c.path("pricesAsOf").asText()).append(")\n\n");
        b.append("| Resource | Per hour | Per month |\n|---|---:|---:|\n");
        for (JsonNode i : c.path("items")) {
            b.append("| ").append(i.path("item").asText()).append(" | ")
                    .append(i.path("perHourUsd").asDouble() == 0 ? "" : "$%.4f".formatted(i.path("perHourUsd").asDouble()))
                    .append(" | $%.2f".formatted(i.path("usd").asDouble())).append(" |\n");
        }
        b.append("| **Total** | **$%.4f** | **$%.2f** |\n\n".formatted(c.path("perHourUsd").asDouble(), c.path("perMonthUsd").asDouble()));
        b.append("One deploy (").append(d.path("stateTransitions").asInt()).append(" state transitions, ")
                .append(d.path("lambdaInvocations").asInt()).append(" Lambda invocations):\n\n| Item | Cost |\n|---|---:|\n");
        for (JsonNode i : d.path("costItems")) b.append("| ").append(i.path("item").asText()).append(" | $%.4f |\n".formatted(i.path("usd").asDouble()));
        b.append("| **Total** | **$%.4f** |\n\n".formatted(d.path("costUsd").asDouble()));
        b.append("#### Figures and their sources\n\n| Figure | Value | Source |\n|---|---:|---|\n");
        for (JsonNode f : j.path("figures")) {
            b.append("| ").append(f.path("name").asText()).append(" | ").append(num(f.path("value").asDouble())).append(' ')
                    .append(f.path("unit").asText()).append(" | ").append(f.path("source").asText()).append(" |\n");
        }
        return b.toString();
    }

    private static String row(JsonNode s) {
        double sec = s.path("seconds").asDouble();
        String t = sec >= 90 ? "%.1f min".formatted(sec / 60) : "%.0f s".formatted(sec);
        return "| " + s.path("step").asText() + " | " + t + " | " + s.path("how").asText() + " |\n";
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }

    private static double round1(double x) { return Math.round(x * 10) / 10.0; }

    private static double round2(double x) { return Math.round(x * 100) / 100.0; }

    private static double round4(double x) { return Math.round(x * 10000) / 10000.0; }
}
