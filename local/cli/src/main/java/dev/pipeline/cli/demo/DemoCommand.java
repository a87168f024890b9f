package dev.pipeline.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.env.DemoNetwork;
import dev.pipeline.cli.env.EnvironmentCommand;
import dev.pipeline.cli.workflow.WorkflowRun;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code demo}: the whole product on a throwaway local cloud. template.yaml is deployed, the example spec is
 * provisioned by the real workflow (every stage a Java handler), its outputs printed, then it is torn down and
 * checked to have left nothing behind.
 */
public final class DemoCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Override public String name() { return "demo"; }

    @Override public String summary() { return "Provision the example environment on a throwaway local cloud, then tear it down"; }

    @Override public String description() {
        return """
            Starts a local cloud in this process, deploys template.yaml to it, provisions examples/vprofile.json
            (on a demo network: a VPC with two public and two app subnets) with the real provisioning workflow,
            prints each state as it finishes and the environment's outputs, then runs the teardown workflow and
            checks that nothing tagged with the environment is left. Stops the local cloud. Exits 0 when both
            workflows SUCCEEDED and nothing was left.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("port", "N", "0", "Gateway port on 127.0.0.1; 0 = any free port"),
                Option.flag("aws", "Run against real AWS (not available for the demo)"));
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        if (options.flag("aws")) {
            throw new CommandFailedException("the demo is not available against real AWS (--aws): it runs only on a throwaway local cloud");
        }
        int port = options.intValue("port", 0, 65535);
        PrintStream out = context.out();
        var root = context.workspace().root();
        var specFile = root.resolve("examples/vprofile.json");
        if (!Files.isRegularFile(specFile)) throw new CommandFailedException("examples/vprofile.json not found under " + root);
        out.println("Starting a local cloud...");
        try (LocalCloud cloud = LocalCloud.start(port)) {
            out.printf("Local cloud at %s (moto on %s, started in %.1f s)%n", cloud.endpoint(), cloud.motoEndpoint(),
                    cloud.startTime().toMillis() / 1000.0);
            LocalDeployment.Deployed deployed = LocalDeployment.inProcess(cloud, SamTemplate.read(SamTemplate.locate(root)))
                    .deploy("vprofile", Map.of());
            out.printf("Deployed template.yaml: %d functions, bucket %s, state machines %s%n",
                    cloud.lambda().functionNames().size(), deployed.bucket(), deployed.stateMachineArns().keySet());
            ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(specFile));
            Ec2Client ec2 = cloud.client(Ec2Client.class);
            out.println("Demo network (the example's VPC is a placeholder): " + DemoNetwork.apply(ec2, spec));
            SfnClient sfn = cloud.client(SfnClient.class);
            ObjectNode input = WorkflowRun.input(spec, 1, 600);

            out.println("\n== Provisioning " + spec.path("name").asText());
            WorkflowRun.Result up = new WorkflowRun(sfn, out, false).run(deployed.stateMachineArn("ProvisionStateMachine"),
                    "demo-provision", input, TIMEOUT);
            EnvironmentCommand.up().print(out, up);
            if (!up.succeeded()) return Main.FAILED;

            out.println("\n== Tearing down " + spec.path("name").asText());
            WorkflowRun.Result down = new WorkflowRun(sfn, out, false).run(deployed.stateMachineArn("TeardownStateMachine"),
                    "demo-teardown", input, TIMEOUT);
            EnvironmentCommand.down().print(out, down);
            if (!down.succeeded()) return Main.FAILED;

            long left = ec2.describeInstancesPaginator(b -> b.filters(
                    Filter.builder().name("tag:pipeline:environment").values("vprofile").build(),
                    Filter.builder().name("instance-state-name").values("pending", "running", "stopping", "stopped").build()))
                    .reservations().stream().mapToLong(r -> r.instances().size()).sum()
                    + ec2.describeSecurityGroups(b -> b.filters(Filter.builder().name("tag:pipeline:environment").values("vprofile").build()))
                    .securityGroups().size()
                    + ec2.describeImages(b -> b.owners("self").filters(Filter.builder().name("tag:pipeline:environment").values("vprofile").build()))
                    .images().size();
            out.println(left == 0 ? "Nothing tagged pipeline:environment=vprofile is left (instances, security groups, images)."
                    : left + " resources tagged pipeline:environment=vprofile are left!");
            out.println("Stopping the local cloud.");
            return left == 0 ? Main.OK : Main.FAILED;
        }
    }
}
