package dev.pipeline.cli.bench;

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
import dev.pipeline.cli.demo.SampleApp;
import dev.pipeline.cli.deploy.DeployResult;
import dev.pipeline.cli.deploy.DeployTarget;
import dev.pipeline.cli.deploy.Deployer;
import dev.pipeline.cli.env.DemoNetwork;
import dev.pipeline.cli.env.LocalTarget;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.junit.Executions;
import dev.pipeline.local.lambda.FunctionDefinition;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code bench cold-start}: the deploy path's stages started cold, each in a fresh JVM through the Lambda runtime
 * interface client against a local Runtime API, as Lambda's java25 runtime starts them, next to a bare handler that
 * makes the same kind of SDK call; unprimed and after the SnapStart priming hooks, interleaved in one run.
 */
public final class BenchColdStartCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** 1024 MB (template.yaml's MemorySize) × the share the java runtime gives the heap (445645k of 512 MB). */
    private static final String MAX_HEAP = "-XX:MaxHeapSize=891290k";

    /** A stage on the deploy path, the workflow state whose input it is given, and the bare handler's call. */
    record Stage(String name, String logicalId, String state, String bareService, String bareResourceVar) {}

    static final List<Stage> STAGES = List.of(
            new Stage("ValidateArtifact", "ValidateArtifactFunction", "ValidateArtifact", "s3", "ARTIFACT_BUCKET"),
            new Stage("AcquireLock", "AcquireLockFunction", "AcquireLock", "dynamodb", "LOCK_TABLE"),
            new Stage("BakeRelease", "BakeReleaseFunction", "BakeRelease", "ec2", null),
            new Stage("CreateReleaseVersion", "CreateReleaseVersionFunction", "CreateReleaseVersion", "ec2", null),
            new Stage("RolloutRelease", "RolloutReleaseFunction", "RolloutRelease", "autoscaling", null),
            new Stage("RecordRelease", "RecordReleaseFunction", "RecordOutcome", "dynamodb", "RELEASES_TABLE"));

    /** How a JVM was started: the bare handler, the stage as deployed today, the stage after its priming hooks. */
    enum Variant { BARE, STAGE, PRIMED }

    /** One fresh JVM, in milliseconds: to the runtime's first request, its two invocations, and, primed, restore → next. */
    record Sample(Variant variant, double initMs, double restoreToNextMs, double firstInvokeMs, double secondInvokeMs) {}

    @Override public String name() { return "bench cold-start"; }

    @Override public String summary() { return "Measure the deploy stages' cold starts through the Lambda runtime client, bare vs stage vs primed"; }

    @Override public String description() {
        return """
            On a fresh local cloud: deploys template.yaml, provisions the example (2 instances) and deploys the sample
            app once, keeping the input each deploy stage was given. Then, --runs times, for each stage and
            interleaved: a fresh JVM (java25 flags and JAVA_TOOL_OPTIONS as template.yaml's Globals) runs the Lambda
            runtime interface client against a local Runtime API, with (1) a bare handler making one SDK call of
            the same service, (2) the stage's handler, (3) the stage's handler started as SnapStart does
            (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start: its beforeCheckpoint hooks run before the first request,
            no snapshot is taken). Each JVM gets the same event twice: init, first and second invocation apart.
            Also reports the functions jar's size. Writes a Markdown report to --out; prints it, or with --json
            one JSON document.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("out", "FILE", "docs/benchmarks/cold-start.md", "Where to write the Markdown report"),
                Option.value("runs", "N", "3", "Fresh JVMs per stage and variant"),
                Option.flag("json", "Print one JSON document instead of the Markdown"));
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        int runs = options.intValue("runs", 1, 20);
        Path root = context.workspace().root();
        Path out = root.resolve(options.value("out").orElseThrow());
        PrintStream log = context.err();
        Path functionsJar = root.resolve("functions/target/functions.jar");
        Path runtimeDir = root.resolve("local/cli/target/lambda-runtime");
        if (!Files.isRegularFile(functionsJar) || !Files.isDirectory(runtimeDir)) {
            throw new CommandFailedException("run ./pipeline package first: " + context.workspace().show(functionsJar)
                    + " and " + context.workspace().show(runtimeDir) + " are needed");
        }
        String runtimeClasspath;
        try (Stream<Path> jars = Files.list(runtimeDir)) {
            runtimeClasspath = String.join(java.io.File.pathSeparator, jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).toList());
        }
        String toolOptions = javaToolOptions(Files.readString(SamTemplate.locate(root)));
        Path work = Files.createTempDirectory("pipeline-cold-");
        Map<String, Map<Variant, List<Sample>>> results = new LinkedHashMap<>();
        try (LocalCloud cloud = LocalCloud.start()) {
            LocalDeployment.Deployed d = LocalDeployment.inProcess(cloud, SamTemplate.read(SamTemplate.locate(root))).deploy("vprofile", LocalTarget.PARAMETERS);
            ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(root.resolve("examples/vprofile.json")));
            ((ObjectNode) spec.get("fleet")).put("min", 1).put("desired", 2).put("max", 2);
            ((ObjectNode) spec.get("deployment")).put("instanceWarmupSeconds", 0);
            DemoNetwork.apply(cloud.client(Ec2Client.class), cloud.client(software.amazon.awssdk.services.servicequotas.ServiceQuotasClient.class), spec);
            log.println("provisioning the example and deploying the sample app once (the stages' inputs)...");
            BenchDeployCommand.provision(cloud, d, spec);
            Deployer deployer = new Deployer(DeployTarget.inProcess(cloud, d), log, true, Duration.ofMinutes(10));
            Path war = new SampleApp(root).write(work.resolve("app.war"), "1", true);
            DeployResult r = deployer.followUpload(deployer.upload(war, "releases/sample-app.war"), Instant.now());
            if (!r.succeeded()) throw new CommandFailedException("the deploy ended " + r.status() + ": " + r.reason());
            Map<String, String> inputs = stageInputs(cloud.client(SfnClient.class), r.executions().getFirst());

            Path stageTask = Files.createDirectories(work.resolve("task-stage/lib"));
            Files.createSymbolicLink(stageTask.resolve("functions.jar"), functionsJar.toAbsolutePath());
            Path bareTask = Files.createDirectories(work.resolve("task-bare/lib"));
            Files.createSymbolicLink(bareTask.resolve("functions.jar"), functionsJar.toAbsolutePath());
            copyClass(BareHandler.class, bareTask.getParent());

            for (int i = 1; i <= runs; i++) {
                for (Stage s : STAGES) {
                    FunctionDefinition fn = cloud.lambda().definition(LocalDeployment.functionName("vprofile", s.logicalId()));
                    Map<String, String> env = new HashMap<>(LocalCloud.functionEnvironment(cloud.endpoint()));
                    env.putAll(fn.environment());
                    env.put("JAVA_TOOL_OPTIONS", toolOptions);
                    String event = inputs.get(s.name());
                    if (event == null) throw new CommandFailedException("the deploy's history has no input for " + s.state());
                    for (Variant v : Variant.values()) {
                        Map<String, String> e = new HashMap<>(env);
                        String handler = fn.handler();
                        Path task = stageTask.getParent();
                        if (v == Variant.BARE) {
                            handler = BareHandler.class.getName();
                            task = bareTask.getParent();
                            e.put("BARE_SERVICE", s.bareService());
                            e.put("BARE_RESOURCE", s.bareResourceVar() == null ? "" : env.get(s.bareResourceVar()));
                        }
                        e.put("AWS_LAMBDA_INITIALIZATION_TYPE", v == Variant.PRIMED ? "snap-start" : "on-demand");
                        Sample sample = runOnce(fn.name(), handler, task, runtimeClasspath, e, event, v, work.resolve("jvm.log"));
                        results.computeIfAbsent(s.name(), k -> new LinkedHashMap<>()).computeIfAbsent(v, k -> new ArrayList<>()).add(sample);
                        log.printf("run %d %-20s %-6s init %6.0f ms, first invoke %6.0f ms, second %5.0f ms%n", i, s.name(), v,
                                sample.initMs(), sample.firstInvokeMs(), sample.secondInvokeMs());
                    }
                }
            }
        } finally {
            deleteTree(work);
        }
        JarSize jar = JarSize.of(functionsJar);
        BenchReport.Machine m = BenchReport.Machine.current();
        ObjectNode json = json(results, jar, runs, m, toolOptions);
        String report = markdown(json);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        if (options.flag("json")) {
            context.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            context.out().print(report);
            context.out().println("\nWrote " + context.workspace().show(out));
        }
        return Main.OK;
    }

    /** One fresh JVM through the runtime interface client: the event twice, then the JVM is stopped. */
    private static Sample runOnce(String function, String handler, Path task, String classpath, Map<String, String> env,
                                  String event, Variant v, Path logFile) throws IOException, InterruptedException {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"),
                MAX_HEAP, "-XX:+UseSerialGC", "-Xshare:auto", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-Djava.net.preferIPv4Stack=true", "-XX:+ErrorFileToStderr", "-classpath", classpath, RIC_MAIN, handler);
        try (RuntimeApiServer api = new RuntimeApiServer(function)) {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(task.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            pb.environment().putAll(Map.of("AWS_LAMBDA_RUNTIME_API", api.address(), "_HANDLER", handler,
                    "AWS_LAMBDA_FUNCTION_NAME", function, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024",
                    "AWS_LAMBDA_FUNCTION_VERSION", "1", "LAMBDA_TASK_ROOT", task.toString(),
                    "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function, "AWS_LAMBDA_LOG_STREAM_NAME", "bench"));
            api.enqueue(event);
            api.enqueue(event);
            long t0 = System.nanoTime();
            Process p = pb.start();
            try {
                long ready = -1, restore = -1;
                long[] delivered = new long[2], responded = new long[2];
                int invocations = 0;
                while (invocations < 2) {
                    RuntimeApiServer.Mark mk = api.await(120_000);
                    if (mk == null) throw new CommandFailedException(function + " (" + v + ") gave no answer in 120 s; its output:\n" + tail(logFile));
                    switch (mk.what()) {
                        case "restore" -> restore = mk.nanos();
                        case "next" -> { if (ready < 0) ready = mk.nanos(); }
                        case "delivered" -> delivered[invocations] = mk.nanos();
                        case "response" -> responded[invocations++] = mk.nanos();
                        default -> throw new CommandFailedException(function + " (" + v + ") answered " + mk.what() + ": "
                                + mk.body() + "\nits output:\n" + tail(logFile));
                    }
                }
                long initEnd = restore >= 0 ? restore : ready;
                return new Sample(v, ms(initEnd - t0), restore >= 0 ? ms(ready - restore) : 0,
                        ms(responded[0] - delivered[0]), ms(responded[1] - delivered[1]));
            } finally {
                p.destroy();
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
        }
    }

    private static double ms(long nanos) { return nanos / 1e6; }

    /** The input each measured stage's Lambda was given in {@code execution}, from its history. */
    static Map<String, String> stageInputs(SfnClient sfn, String execution) throws IOException {
        Map<String, String> inputs = new HashMap<>();
        for (HistoryEvent e : Executions.history(sfn, execution)) {
            if (e.stateEnteredEventDetails() == null) continue;
            String state = e.stateEnteredEventDetails().name();
            JsonNode input = JSON.readTree(e.stateEnteredEventDetails().input());
            for (Stage s : STAGES) {
                if (!s.state().equals(state)) continue;
                inputs.put(s.name(), JSON.writeValueAsString(payload(state, input)));
            }
        }
        return inputs;
    }

    /** The Parameters of deploy.asl.json's Task states whose payload is not their whole input. */
    private static JsonNode payload(String state, JsonNode input) {
        return switch (state) {
            case "ValidateArtifact" -> JSON.createObjectNode().put("bucket", input.path("upload").path("bucket").asText())
                    .put("key", input.path("upload").path("key").asText()).put("versionId", input.path("upload").path("versionId").asText());
            case "RecordOutcome" -> JSON.createObjectNode().put("status", "FINAL").set("state", input);
            default -> input;
        };
    }

    /** Globals.Function.Environment JAVA_TOOL_OPTIONS of template.yaml, which every function runs with. */
    static String javaToolOptions(String template) {
        Matcher m = Pattern.compile("(?m)^\\s+JAVA_TOOL_OPTIONS:\\s*(.+)$").matcher(template);
        return m.find() ? m.group(1).strip() : "";
    }

    /** The functions jar as Lambda counts it: the zip uploaded, and unpacked (its limit is 250 MB). */
    record JarSize(long zippedBytes, long unpackedBytes, int files) {
        static JarSize of(Path jar) throws IOException {
            long unpacked = 0;
            int files = 0;
            try (ZipFile z = new ZipFile(jar.toFile())) {
                for (var it = z.entries(); it.hasMoreElements(); ) {
                    ZipEntry e = it.nextElement();
                    if (e.isDirectory()) continue;
                    unpacked += e.getSize();
                    files++;
                }
            }
            return new JarSize(Files.size(jar), unpacked, files);
        }
    }

    static ObjectNode json(Map<String, Map<Variant, List<Sample>>> results, JarSize jar, int runs, BenchReport.Machine m, String toolOptions) {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", "./pipeline bench cold-start --runs " + runs);
        root.put("measuredAt", m.when().toString());
        root.putObject("machine").put("cpus", m.cpus()).put("cpu", m.cpuModel()).put("java", m.java()).put("loadAverage", m.loadAverage());
        root.put("javaToolOptions", toolOptions);
        root.putObject("package").put("zippedBytes", jar.zippedBytes()).put("unpackedBytes", jar.unpackedBytes()).put("files", jar.files());
        ArrayNode stages = root.putArray("stages");
        for (var e : results.entrySet()) {
            // "name", not "stage": "stage" is the unprimed variant's figures
            ObjectNode s = stages.addObject().put("name", e.getKey());
            for (var v : e.getValue().entrySet()) {
                List<Sample> xs = v.getValue();
                ObjectNode o = s.putObject(v.getKey().name().toLowerCase());
                o.put("n", xs.size());
                o.put("initMs", round(median(xs.stream().map(Sample::initMs).toList())));
                if (v.getKey() == Variant.PRIMED) o.put("restoreToNextMs", round(median(xs.stream().map(Sample::restoreToNextMs).toList())));
                o.put("firstInvokeMs", round(median(xs.stream().map(Sample::firstInvokeMs).toList())));
                o.put("firstInvokeMinMs", round(xs.stream().mapToDouble(Sample::firstInvokeMs).min().orElse(0)));
                o.put("firstInvokeMaxMs", round(xs.stream().mapToDouble(Sample::firstInvokeMs).max().orElse(0)));
                o.put("secondInvokeMs", round(median(xs.stream().map(Sample::secondInvokeMs).toList())));
            }
            double bare = s.path("bare").path("firstInvokeMs").asDouble();
            if (bare > 0) {
                s.put("firstInvokeRatioUnprimed", round2(s.path("stage").path("firstInvokeMs").asDouble() / bare));
                s.put("firstInvokeRatio", round2(s.path("primed").path("firstInvokeMs").asDouble() / bare));
            }
        }
        return root;
    }

    static String markdown(ObjectNode j) {
        StringBuilder b = new StringBuilder("# Cold starts of the deploy stages\n\n");
        JsonNode m = j.path("machine");
        b.append("Command: `").append(j.path("command").asText()).append("`, ").append(j.path("measuredAt").asText(), 0, 10)
                .append(". Machine: ").append(m.path("cpus").asInt()).append(" CPUs (").append(m.path("cpu").asText()).append("), ")
                .append(m.path("java").asText()).append(", load average ").append(m.path("loadAverage").asText())
                .append(" when the run ended (the CPUs are shared: the variants are interleaved so they see the same load).\n\n");
        b.append("""
                Each figure is one fresh JVM started as Lambda's java25 runtime starts one (`-XX:+UseSerialGC
                -XX:TieredStopAtLevel=1 -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac` ..., the runtime
                interface client `com.amazonaws:aws-lambda-java-runtime-interface-client` 2.10.1 as main class, the
                function's jar in the task directory's `lib/`, JAVA_TOOL_OPTIONS `%s` from template.yaml's Globals),
                talking to a local Runtime API (next invocation, response, error, init error and SnapStart's
                restore/next, as AWS documents them) and calling a local cloud for its AWS calls. Each JVM gets the
                event its stage was given in a real local deploy, twice. Medians of n runs.

                - **init**: process start to the runtime's first request for an event (JVM start, runtime client,
                  handler class loaded and constructed: what Lambda bills as Init Duration). For *primed*, to its
                  `restore/next` request: that also includes the beforeCheckpoint hooks.
                - **first invoke**: event handed out to response posted; **second**: the same for the second event.
                - **bare**: a handler with one SDK client of the stage's main service (url-connection HTTP client)
                  making one call (S3 ListObjectsV2, DynamoDB DescribeTable, EC2 DescribeImages, Auto Scaling
                  DescribeAutoScalingGroups), no JSON mapping, from the same jar.
                - **stage**: the stage's handler as deployed (`AWS_LAMBDA_INITIALIZATION_TYPE=on-demand`).
                - **primed**: the same handler started with `AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`: the runtime
                  client runs the CRaC beforeCheckpoint hooks (AwsClients: one read call per SDK client; JsonHandler:
                  Jackson's reader and writer of the stage's records), asks `restore/next` (where Lambda would take
                  the snapshot; here no checkpoint is taken, the same JVM goes on), runs afterRestore, and takes the
                  event. Its first invoke is what a SnapStart restore's first invoke pays, minus the restore itself.
                - **ratio** = primed first invoke ÷ bare first invoke (aim ≤ 1.3); *unprimed* = stage ÷ bare.

                """.formatted(j.path("javaToolOptions").asText()));
        b.append("| stage | bare init | bare 1st | stage init | stage 1st | primed init (+hooks) | primed 1st | primed 2nd | ratio unprimed | **ratio** |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode s : j.path("stages")) {
            b.append("| ").append(s.path("name").asText())
                    .append(" | ").append(f(s.path("bare").path("initMs"))).append(" | ").append(f(s.path("bare").path("firstInvokeMs")))
                    .append(" | ").append(f(s.path("stage").path("initMs"))).append(" | ").append(f(s.path("stage").path("firstInvokeMs")))
                    .append(" | ").append(f(s.path("primed").path("initMs"))).append(" | ").append(f(s.path("primed").path("firstInvokeMs")))
                    .append(" | ").append(f(s.path("primed").path("secondInvokeMs")))
                    .append(" | ").append(s.path("firstInvokeRatioUnprimed").asText()).append(" | **").append(s.path("firstInvokeRatio").asText()).append("** |\n");
        }
        JsonNode p = j.path("package");
        b.append("\nThe functions jar (`functions/target/functions.jar`, what every function deploys): ")
                .append(String.format(java.util.Locale.ROOT, "%.1f MB zipped, %.1f MB unpacked, %,d files", p.path("zippedBytes").asLong() / 1e6,
                        p.path("unpackedBytes").asLong() / 1e6, p.path("files").asInt()))
                .append(" (Lambda's limits: 50 MB zipped for a direct upload, 250 MB unpacked).\n");
        return b.toString();
    }

    private static String f(JsonNode ms) { return ms.isMissingNode() ? "" : "%.0f ms".formatted(ms.asDouble()); }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n == 0 ? 0 : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double round(double ms) { return Math.round(ms * 10) / 10.0; }

    private static double round2(double x) { return Math.round(x * 100) / 100.0; }

    private static void copyClass(Class<?> c, Path taskRoot) throws IOException {
        String resource = c.getName().replace('.', '/') + ".class";
        Path target = taskRoot.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no class file for " + c.getName());
            Files.copy(in, target);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
