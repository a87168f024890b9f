package dev.pipeline.cli.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.local.LocalControl;
import dev.pipeline.cli.local.LocalStartCommand;
import dev.pipeline.cli.workflow.WorkflowRun;
import dev.pipeline.local.deploy.LocalDeployment;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code up} and {@code down}: run the provisioning or teardown workflow for a spec and follow it to its end.
 * Against the local cloud (started if it is not running; template.yaml deployed to it first) by default, or
 * against a stack deployed with {@code sam deploy} ({@code --aws --stack NAME}).
 */
public final class EnvironmentCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean provision;
    /** Locally: the loopback address the local cloud serves the environment's load balancer on (its DNS name does not resolve here). */
    private String localSiteUrl;

    private EnvironmentCommand(boolean provision) { this.provision = provision; }

    public static EnvironmentCommand up() { return new EnvironmentCommand(true); }

    public static EnvironmentCommand down() { return new EnvironmentCommand(false); }

    @Override public String name() { return provision ? "up" : "down"; }

    @Override public String summary() {
        return provision ? "Provision the environment of a spec (local cloud by default) and print its outputs"
                : "Tear the environment of a spec down, leaving nothing tagged with it";
    }

    @Override public String description() {
        return (provision ? """
            Runs the provisioning workflow for the spec and prints each state as it finishes (name, type, seconds),
            then the outputs: site URL, Auto Scaling group, golden AMI, private zone, security groups. A failure
            names the stage and its cause. Every stage finds what exists first, so running it again converges.""" : """
            Runs the teardown workflow for the spec: the group, load balancer, instances, images, DNS, security
            groups and generated credentials, in that order. Running it again is harmless.""") + """

            Locally (the default) it uses the local cloud on 127.0.0.1:PORT, starting it in the background if it is
            not running, and deploys template.yaml to it first. The example spec's VPC and subnets are placeholders:
            when the spec's VPC does not exist locally, a demo network (VPC, two public and two app subnets) is made
            and used. With --aws it starts the workflow of the stack deployed with 'sam deploy' (--stack NAME),
            using your usual AWS credentials. Exit 0 when the workflow SUCCEEDED, 1 otherwise.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("spec", "FILE", "examples/vprofile.json", "The environment spec"),
                Option.value("port", "N", "4566", "Local cloud port on 127.0.0.1"),
                Option.value("poll", "SECONDS", "1", "Wait between checks of resources not ready yet (AWS: 30 is sensible)"),
                Option.flag("json", "Print one JSON document instead of progress lines"),
                Option.flag("aws", "Run against real AWS (the stack's state machines)"),
                Option.value("stack", "NAME", null, "With --aws: the stack 'sam deploy' created"));
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        boolean json = options.flag("json");
        PrintStream out = context.out();
        PrintStream progress = json ? context.err() : out;
        Path specFile = context.workspace().root().resolve(options.value("spec").orElse("examples/vprofile.json"));
        ObjectNode spec = readSpec(specFile);
        int poll = options.intValue("poll", 1, 300);

        SfnClient sfn;
        String machine;
        LocalTarget localTarget = null;
        if (options.flag("aws")) {
            String stack = options.value("stack").orElseThrow(() -> new CommandFailedException("--aws needs --stack NAME (the stack 'sam deploy' created)"));
            sfn = SfnClient.create();
            machine = stackOutput(stack, provision ? "ProvisionStateMachineArn" : "TeardownStateMachineArn");
        } else {
            int port = options.intValue("port", 1, 65535);
            ensureLocalCloud(port, context);
            LocalTarget target = new LocalTarget(new LocalControl(port).endpoint());
            localTarget = target;
            String env = spec.path("name").asText("vprofile");
            progress.println("Deploying template.yaml to the local cloud at " + target.endpoint() + " ...");
            LocalDeployment.Deployed deployed = target.deploy(context.workspace().root(), env);
            Ec2Client ec2 = target.client(Ec2Client.class);
            if (DemoNetwork.needed(ec2, spec)) {
                String vpc = DemoNetwork.apply(ec2, target.client(software.amazon.awssdk.services.servicequotas.ServiceQuotasClient.class), spec);
                progress.println("The spec's VPC does not exist in the local cloud: using the demo network " + vpc
                        + " (two public and two app subnets).");
            }
            sfn = target.client(SfnClient.class);
            machine = deployed.stateMachineArn(provision ? "ProvisionStateMachine" : "TeardownStateMachine");
        }

        ObjectNode input = WorkflowRun.input(spec, poll, 3300);
        progress.println((provision ? "Provisioning " : "Tearing down ") + spec.path("name").asText() + " ...");
        WorkflowRun.Result r = new WorkflowRun(sfn, progress, json).run(machine,
                name() + "-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-" + UUID.randomUUID().toString().substring(0, 8),
                input, Duration.ofMinutes(60));
        if (localTarget != null && provision && r.succeeded() && r.output() != null) {
            localSiteUrl = localTarget.siteUrl(r.output().path("loadBalancer").path("dnsName").asText("")).orElse(null);
        }
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary(r)));
        } else {
            print(out, r);
        }
        return r.succeeded() ? Main.OK : Main.FAILED;
    }

    /** Prints how a run ended: its outputs when provisioning succeeded, the failed stage and cause otherwise. */
    public void print(PrintStream out, WorkflowRun.Result r) {
        if (!r.succeeded()) {
            out.printf("%n%s %s after %.1f s%s%n  %s: %s%n", provision ? "Provisioning" : "Teardown", r.status(), r.seconds(),
                    r.failedStage() == null ? "" : " at " + r.failedStage(), r.error(), r.cause());
            return;
        }
        out.printf("%n%s SUCCEEDED in %.1f s (%d states)%n", provision ? "Provisioning" : "Teardown", r.seconds(), r.states().size());
        if (!provision) return;
        JsonNode o = r.output();
        if (localSiteUrl != null) {
            out.println("  Site URL:            " + localSiteUrl + "  (the local load balancer; its DNS name below does not resolve locally)");
        } else {
            out.println("  Site URL:            " + o.path("verification").path("siteUrl").asText("-"));
        }
        out.println("  Load balancer:       " + o.path("loadBalancer").path("dnsName").asText("-"));
        out.println("  Auto Scaling group:  " + o.path("fleet").path("groupName").asText("-"));
        out.println("  Golden AMI:          " + o.path("goldenImage").path("imageId").asText("-"));
        out.println("  Launch template:     " + o.path("launchTemplate").path("launchTemplateName").asText("-")
                + " v" + o.path("launchTemplate").path("version").asText("-"));
        out.println("  Private zone:        " + o.path("dns").path("zoneName").asText("-") + " (" + o.path("dns").path("zoneId").asText("-") + ")");
        JsonNode records = o.path("dns").path("records");
        records.fieldNames().forEachRemaining(n -> out.println("    " + n + " -> " + records.path(n).asText()));
        out.println("  Security groups:     alb " + o.path("securityGroups").path("albGroupId").asText("-")
                + ", app " + o.path("securityGroups").path("appGroupId").asText("-")
                + ", backend " + o.path("securityGroups").path("backendGroupId").asText("-"));
        out.println("  Manifest:            s3://" + o.path("manifest").path("bucket").asText("-") + "/" + o.path("manifest").path("key").asText("-"));
    }

    private ObjectNode summary(WorkflowRun.Result r) {
        ObjectNode s = JSON.createObjectNode();
        s.put("workflow", provision ? "provision" : "teardown");
        s.put("status", r.status().toString());
        s.put("execution", r.executionArn());
        s.put("seconds", r.seconds());
        s.set("states", JSON.valueToTree(r.states().stream().map(x -> Map.of("name", x.name(), "type", x.type(),
                "seconds", x.seconds())).collect(Collectors.toList())));
        if (r.succeeded()) {
            if (provision && r.output() != null) {
                // locally the ALB's DNS name does not resolve: the site is the local load balancer's loopback address
                s.put("siteUrl", localSiteUrl != null ? localSiteUrl : r.output().path("verification").path("siteUrl").asText(null));
                if (localSiteUrl != null) s.put("siteUrlNote", "local load balancer on 127.0.0.1; the ALB's DNS name does not resolve locally");
            }
            if (r.output() != null) {
                ObjectNode outputs = s.putObject("outputs");
                for (String k : List.of("verification", "loadBalancer", "fleet", "goldenImage", "launchTemplate", "dns", "securityGroups", "manifest")) {
                    if (r.output().has(k)) outputs.set(k, r.output().get(k));
                }
            }
        } else {
            s.putObject("failure").put("stage", r.failedStage()).put("error", r.error()).put("cause", r.cause());
        }
        return s;
    }

    static ObjectNode readSpec(Path file) {
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            if (!n.isObject()) throw new CommandFailedException(file + " is not a JSON object");
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new CommandFailedException("cannot read the spec " + file + ": " + e.getMessage(), e);
        }
    }

    static void ensureLocalCloud(int port, CliContext context) throws Exception {
        if (new LocalControl(port).status().isPresent()) return;
        context.err().println("No local cloud on port " + port + ": starting one in the background.");
        LocalStartCommand start = new LocalStartCommand();
        int code = start.run(Options.parse(start, List.of("--port", Integer.toString(port))),
                new CliContext(context.err(), context.err(), context.workspace()));
        if (code != Main.OK) throw new CommandFailedException("could not start the local cloud on port " + port);
    }

    private static String stackOutput(String stack, String key) {
        try (CloudFormationClient cfn = CloudFormationClient.create()) {
            return cfn.describeStacks(b -> b.stackName(stack)).stacks().getFirst().outputs().stream()
                    .filter(o -> o.outputKey().equals(key)).map(Output::outputValue).findFirst()
                    .orElseThrow(() -> new CommandFailedException("stack " + stack + " has no output " + key + " (is it this project's template?)"));
        }
    }
}
