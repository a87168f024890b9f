package dev.pipeline.cli.env;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.local.LocalControl;
import dev.pipeline.drift.DriftCheck;
import dev.pipeline.drift.DriftReport;
import dev.pipeline.drift.Fix;
import dev.pipeline.local.LocalCloud;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code drift}: compares the live environment with its spec and applied manifest, prints the findings, exits
 * 0 in sync and 3 with drift. {@code --fix} prints the plan of safe repairs first, applies them, and checks again.
 */
public final class DriftCommand implements Command {
    /** Exit code when the environment has drifted (or could not be fully read). */
    public static final int DRIFTED = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override public String name() { return "drift"; }

    @Override public String summary() { return "Check the environment against its spec; --fix repairs the safe drift"; }

    @Override public String description() {
        return """
            Reads the applied manifest provisioning wrote, describes the live environment in batched calls, and
            prints every difference with its rule id, severity, resource, expected and actual value and a fix.
            Exit 0 when in sync, 3 when something drifted or could not be read. The scheduled check in
            template.yaml does the same every hour (report in the artifact bucket, a notification when the drift
            changes). --fix first prints the plan of safe repairs (restore missing rules, revoke world-open
            rules on backend ports, point DNS records at the instances' current IPs, restore the health check
            and stickiness, re-attach the target group, restore the launch template default), applies it, then
            checks again; it never starts, stops or terminates instances or deletes data.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("environment", "NAME", "vprofile", "The environment (the spec's name)"),
                Option.value("port", "N", "4566", "Local cloud port on 127.0.0.1"),
                Option.flag("fix", "Repair the safe drift, then check again"),
                Option.flag("json", "Print the report as JSON"),
                Option.flag("aws", "Check a stack deployed with sam deploy (--stack NAME)"),
                Option.value("stack", "NAME", null, "With --aws: the stack 'sam deploy' created"));
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        String env = options.value("environment").orElse("vprofile");
        Map<String, String> vars = new HashMap<>();
        if (options.flag("aws")) {
            String stack = options.value("stack").orElseThrow(() -> new CommandFailedException("--aws needs --stack NAME"));
            try (CloudFormationClient cfn = CloudFormationClient.create()) {
                vars.put("ARTIFACT_BUCKET", cfn.describeStacks(b -> b.stackName(stack)).stacks().getFirst().outputs().stream()
                        .filter(o -> o.outputKey().equals("ArtifactBucketName")).map(Output::outputValue).findFirst()
                        .orElseThrow(() -> new CommandFailedException("stack " + stack + " has no output ArtifactBucketName")));
            }
            vars.put("AWS_REGION", DefaultAwsRegionProviderChain.builder().build().getRegion().id());
        } else {
            int port = options.intValue("port", 1, 65535);
            LocalControl control = new LocalControl(port);
            if (control.status().isEmpty()) {
                throw new CommandFailedException("no local cloud on port " + port + " (start one and provision: ./pipeline up)");
            }
            vars.putAll(LocalCloud.functionEnvironment(control.endpoint()));
            vars.put("ARTIFACT_BUCKET", dev.pipeline.local.deploy.LocalDeployment.bucketName(env));
        }
        DriftCheck drift = DriftCheck.wire(vars);
        PrintStream out = context.out();
        DriftReport report;
        if (options.flag("fix")) {
            DriftCheck.Plan plan = drift.plan(env);
            out.println(plan.report().summary());
            if (plan.fixes().isEmpty()) {
                out.println("\nNothing to fix automatically.");
            } else {
                out.println("\nPlan (safe fixes only):");
                for (Fix f : plan.fixes().fixes()) out.println("  - " + f.describe());
                out.println("\nApplying:");
                drift.apply(plan.fixes()).forEach(line -> out.println("  " + line));
            }
            out.println("\nChecking again:");
            report = drift.check(env);
        } else {
            report = drift.check(env);
        }
        if (options.flag("json")) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            out.println(report.summary());
        }
        return report.inSync() ? Main.OK : DRIFTED;
    }
}
