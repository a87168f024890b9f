package dev.pipeline.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.demo.SampleApp;
import dev.pipeline.cli.deploy.DeployResult;
import dev.pipeline.cli.deploy.DeployTarget;
import dev.pipeline.cli.deploy.Deployer;
import dev.pipeline.cli.env.DemoNetwork;
import dev.pipeline.cli.env.LocalTarget;
import dev.pipeline.cli.workflow.WorkflowRun;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.junit.Executions;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code bench deploy}: on one provisioned local environment (4 instances, 1 s poll, no warm-up), deploys the sample
 * app N times, each a new version (upload → SUCCEEDED), and reports wall time, state transitions, Lambda
 * invocations and AWS calls per service from the gateway's counters and the execution histories.
 */
public final class BenchDeployCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int FLEET = 4;
    /** Calls the benchmark itself makes while it follows a deploy; they are not the pipeline's. */
    private static final Set<String> FOLLOWING = Set.of("states:DescribeExecution", "states:GetExecutionHistory", "states:ListExecutions");

    /** One measured deploy. */

    @Override public String name() { return "bench deploy"; }

    @Override public String summary() { return "Measure local deploys (upload to SUCCEEDED): wall time, transitions, Lambda invocations, AWS calls"; }

    @Override public String description() {
        return """
            On a fresh local cloud: deploys template.yaml, provisions examples/vprofile.json with a 4-instance
            fleet, no instance warm-up and a 1 s poll interval, deploys the sample app once to warm up, then
            measures N deploys of new versions of it, each from the upload to its release SUCCEEDED. Counts,
            from the gateway: Lambda invocations and the AWS calls (per service) the deploy made; from the
            execution history: state transitions. Writes a Markdown report to --out and prints it.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("out", "FILE", "docs/benchmarks/deploy.md", "Where to write the Markdown report"),
                Option.value("runs", "N", "5", "Deploys to measure"),
                BenchReport.JSON_FLAG);
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        int runs = options.intValue("runs", 1, 50);
        Path root = context.workspace().root();
        Path out = root.resolve(options.value("out").orElseThrow());
        PrintStream log = context.err();
        ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(root.resolve("examples/vprofile.json")));
        ((ObjectNode) spec.get("fleet")).put("min", 1).put("desired", FLEET).put("max", FLEET);
        ((ObjectNode) spec.get("deployment")).put("instanceWarmupSeconds", 0);
        SampleApp app = new SampleApp(root);
        Path dir = Files.createTempDirectory("pipeline-bench-");
        List<WorkflowFigures> results = new ArrayList<>();
        double scale;
        try (LocalCloud cloud = LocalCloud.start()) {
            scale = cloud.clock().scale();
            LocalDeployment.Deployed d = LocalDeployment.inProcess(cloud, SamTemplate.read(SamTemplate.locate(root))).deploy("vprofile", LocalTarget.PARAMETERS);
            DemoNetwork.apply(cloud.client(Ec2Client.class), cloud.client(software.amazon.awssdk.services.servicequotas.ServiceQuotasClient.class), spec);
            provision(cloud, d, spec);
            DeployTarget target = DeployTarget.inProcess(cloud, d);
            Deployer deployer = new Deployer(target, log, true, Duration.ofMinutes(10));
            deploy(deployer, app.write(dir.resolve("warm-up.war"), "0", true)); // first bake, cold Lambda containers
            for (int i = 1; i <= runs; i++) {
                Path war = app.write(dir.resolve("v" + i + ".war"), "1." + i, true);
                cloud.gateway().counters().clear();
                long t0 = System.nanoTime();
                DeployResult r = deploy(deployer, war);
                double seconds = (System.nanoTime() - t0) / 1e9;
                results.add(WorkflowFigures.of(Integer.toString(i), seconds, cloud.client(SfnClient.class), r.executions(),
                        cloud.counters(), FOLLOWING::contains));
                log.printf("deploy %d: %.1f s%n", i, seconds);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
        // the same spec on AWS, with the template's default PollSeconds (what sam deploy runs)
        double estimate = new dev.pipeline.estimate.Estimator().estimate(spec).deploySeconds();
        ObjectNode json = WorkflowFigures.json("./pipeline bench deploy --runs " + runs, results);
        double median = new Stats(results.stream().map(WorkflowFigures::seconds).toList()).median();
        json.put("timeScale", scale);
        json.put("wallSeconds", median);
        json.put("awsEquivalentSeconds", median * scale);
        json.put("estimateSeconds", estimate);
        BenchReport.emit(options, context, out, markdown(results, runs, scale, estimate), json);
        return Main.OK;
    }

    static void provision(LocalCloud cloud, LocalDeployment.Deployed d, ObjectNode spec) {
        SfnClient sfn = cloud.client(SfnClient.class);
        String arn = sfn.startExecution(b -> b.stateMachineArn(d.stateMachineArn("ProvisionStateMachine"))
                .name("bench-provision").input(WorkflowRun.input(spec, 1, 600).toString())).executionArn();
        DescribeExecutionResponse end = Executions.awaitEnd(sfn, arn, Duration.ofMinutes(10));
        if (end.status() != ExecutionStatus.SUCCEEDED) {
            throw new CommandFailedException("provisioning " + end.status() + ": " + end.error() + ": " + end.cause());
        }
    }

    private static DeployResult deploy(Deployer deployer, Path war) throws Exception {
        DeployResult r = deployer.followUpload(deployer.upload(war, "releases/sample-app.war"), Instant.now());
        if (!r.succeeded()) throw new CommandFailedException("a benchmark deploy ended " + r.status() + ": " + r.reason());
        return r;
    }

    static String markdown(List<WorkflowFigures> runs, int n, double scale, double estimateSeconds) {
        BenchReport.Machine m = BenchReport.Machine.current();
        StringBuilder sb = new StringBuilder("# Deploying on the local cloud\n\n");
        sb.append("Command: `./pipeline bench deploy --runs ").append(n).append("`. Machine: ").append(m.cpus())
                .append(" CPUs (").append(m.cpuModel()).append("), ").append(m.java()).append(", load average ")
                .append(m.loadAverage()).append(", ").append(m.when().toLocalDate()).append(".\n\n");
        sb.append("One provisioned environment (").append(FLEET).append("-instance fleet, instance warm-up 0, poll interval 1 s); ")
                .append("one unmeasured warm-up deploy, then each run uploads a new version of the sample app to ")
                .append("`releases/sample-app.war` and waits for its release to be SUCCEEDED: validate, lock, bake (builder, ")
                .append("Run Command, CreateImage), launch template version, instance refresh, record, prune, notify, release the lock. ")
                .append("AWS calls are those the stages made (the upload's PutObject included); the benchmark's own polling of the ")
                .append("execution is left out.\n\n");
        Stats wall = new Stats(runs.stream().map(r -> r.seconds() * 1000).toList());
        sb.append("Wall time, upload → SUCCEEDED: median ").append(Stats.format(wall.median())).append(", min ")
                .append(Stats.format(wall.min())).append(", max ").append(Stats.format(wall.max())).append(" (n = ").append(runs.size()).append(").\n\n");
        double median = wall.median() / 1000;
        sb.append("| Median deploy | Seconds | Minutes |\n|---|---:|---:|\n")
                .append(String.format(java.util.Locale.ROOT, "| Wall time here | %.1f | %.2f |%n", median, median / 60))
                .append(String.format(java.util.Locale.ROOT, "| AWS-equivalent (wall × time scale %.0f) | %.0f | %.1f |%n",
                        scale, median * scale, median * scale / 60))
                .append(String.format(java.util.Locale.ROOT, "| `./pipeline estimate` of this spec on AWS (PollSeconds 30) | %.0f | %.1f |%n%n",
                        estimateSeconds, estimateSeconds / 60));
        sb.append("The AWS-equivalent time scales everything, the modelled waits (boot, SSM registration, CreateImage, health ")
                .append("checks) and also what is not modelled (the stages' own work, moto, the JVM), and the local workflow ")
                .append("polls every 1 s (PollSeconds 1, a Wait of at least 0.2 s), where AWS's would poll every 30 s: read it as ")
                .append("an order of magnitude next to the estimate, not as a measurement of AWS.\n\n");
        WorkflowFigures.table(sb, runs, "AWS calls");
        sb.append("\nMost of the wall time is the workflow's 1 s waits (builder pending, image pending, refresh in progress). On AWS ")
                .append("the same waits are the builder's boot and Tomcat start (~1-2 min), CreateImage (~5-10 min) and the instance ")
                .append("refresh (per batch: boot, health checks, the spec's warm-up), while the pipeline's own overhead stays the ")
                .append("few seconds of Lambda time and the calls counted here.\n");
        return sb.toString();
    }
}
