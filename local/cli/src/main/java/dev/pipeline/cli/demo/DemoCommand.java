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
import dev.pipeline.cli.env.LocalTarget;
import dev.pipeline.cli.env.EnvironmentCommand;
import dev.pipeline.cli.workflow.WorkflowRun;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.sfn.SfnClient;

import dev.pipeline.cli.deploy.DeployCommand;
import dev.pipeline.cli.deploy.DeployResult;
import dev.pipeline.cli.deploy.DeployStatus;
import dev.pipeline.cli.deploy.DeployTarget;
import dev.pipeline.cli.deploy.Deployer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * {@code demo}: the whole product on a throwaway local cloud. template.yaml is deployed, the example spec is
 * provisioned by the real workflow (every stage a Java handler), its outputs printed, the sample app deployed three
 * times (v1 baked, v2 in place with CodeDeploy, a broken v3 that fails its bake), then it is torn down and checked to
 * have left nothing behind.
 */
public final class DemoCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String KEY = "releases/sample-app.war";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override public String name() { return "demo"; }

    @Override public String summary() { return "Provision the example on a throwaway local cloud, deploy v1, v2 in place and a broken v3, tear down"; }

    @Override public String description() {
        return """
            Starts a local cloud in this process, deploys template.yaml to it, provisions examples/vprofile.json
            (on a demo network: a VPC with two public and two app subnets) with the real provisioning workflow,
            prints each state as it finishes and the environment's outputs. Then deploys the sample app
            (local/sample-app, built in memory) as a user does, by uploading it under releases/: version 1 (baked
            and rolled out by an instance refresh), version 2 in place (--in-place: CodeDeploy puts it on the
            running instances one at a time, then its image is baked and made the launch template's without a
            refresh), then a broken version 3 whose health page answers 500, so the bake's health check on the
            builder fails it before any instance changes. Prints each deploy's stages and what the site served,
            then the status: the fleet by release (v2, in place) and the release history. Finally runs the teardown
            workflow and checks that nothing tagged with the environment is left. Stops the local cloud. Exits 0
            when v1 and v2 SUCCEEDED, v3 FAILED with the fleet and the site still on v2, both workflows SUCCEEDED
            and nothing was left.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("port", "N", "0", "Gateway port on 127.0.0.1; 0 = any free port"),
                Option.value("time-scale", "N", "60", "AWS seconds per local second for boot, images, warm-ups (1 = real time)"),
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
        try (LocalCloud cloud = LocalCloud.start(port, options.clock())) {
            dev.pipeline.local.elb.LoadBalancers.checksUnlessModelAsked(cloud);
            out.printf("Local cloud at %s (moto on %s, started in %.1f s)%n", cloud.endpoint(), cloud.motoEndpoint(),
                    cloud.startTime().toMillis() / 1000.0);
            LocalDeployment.Deployed deployed = LocalDeployment.inProcess(cloud, SamTemplate.read(SamTemplate.locate(root)))
                    .deploy("vprofile", LocalTarget.PARAMETERS);
            out.printf("Deployed template.yaml: %d functions, bucket %s, state machines %s%n",
                    cloud.lambda().functionNames().size(), deployed.bucket(), deployed.stateMachineArns().keySet());
            ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(specFile));
            // the local cloud's instances are ready as soon as they run: no warm-up to wait out between replacements
            ((ObjectNode) spec.get("deployment")).put("instanceWarmupSeconds", 0);
            Ec2Client ec2 = cloud.client(Ec2Client.class);
            out.println("Demo network (the example's VPC is a placeholder): " + DemoNetwork.apply(ec2, cloud.client(software.amazon.awssdk.services.servicequotas.ServiceQuotasClient.class), spec));
            SfnClient sfn = cloud.client(SfnClient.class);
            ObjectNode input = WorkflowRun.input(spec, 1, 600);

            out.println("\n== Provisioning " + spec.path("name").asText());
            WorkflowRun.Result up = new WorkflowRun(sfn, out, false).run(deployed.stateMachineArn("ProvisionStateMachine"),
                    "demo-provision", input, TIMEOUT);
            EnvironmentCommand.up().print(out, up);
            if (!up.succeeded()) return Main.FAILED;
            // the ALB's DNS name does not resolve locally: the local cloud serves it on a loopback port of its own
            String site = new LocalTarget(cloud.endpoint()).siteUrl(up.output().path("loadBalancer").path("dnsName").asText("")).orElse(null);
            out.println("\nSite URL (the local load balancer; the ALB's DNS name does not resolve locally): " + (site == null ? "-" : site));
            out.println("The site serves: " + served(site));

            boolean deploysAsExpected = releases(cloud, DeployTarget.inProcess(cloud, deployed), root, out, site);

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
            return left == 0 && deploysAsExpected ? Main.OK : Main.FAILED;
        }
    }

    /**
     * The release story: v1, then v2, then a broken v3 whose health page answers 500, which the bake's health check
     * on the builder fails. True when each ended as it should and the fleet and the site are on v2 at the end.
     */
    private static boolean releases(LocalCloud cloud, DeployTarget target, Path root, PrintStream out, String site) throws Exception {
        Path dir = Files.createTempDirectory("pipeline-demo-");
        try {
            SampleApp app = new SampleApp(root);
            Deployer deployer = new Deployer(target, out, false, TIMEOUT);
            out.println("\n== Deploying sample-app 1 (" + KEY + ")");
            DeployResult v1 = deploy(deployer, app.write(dir.resolve("sample-app-1.war"), "1", true), out, null);
            out.println("The site serves: " + served(site));
            out.println("\n== Deploying sample-app 2 in place (same key, a new object version, --in-place)");
            out.println("CodeDeploy puts it on the running instances one at a time, each out of the load balancer while it");
            out.println("is updated; then its image is baked and becomes the launch template's, with no instance replaced.");
            DeployResult v2 = deploy(deployer, app.write(dir.resolve("sample-app-2.war"), "2", true), out, "in-place-then-bake");
            out.println("The site serves: " + served(site));

            Path broken = app.write(dir.resolve("sample-app-3.war"), "3", false);
            out.println("\n== Deploying a broken sample-app 3 (its health page, /health and /login, answers 500)");
            out.println("The bake installs it on a builder and checks the health path there; it should fail before any");
            out.println("instance of the fleet changes.");
            DeployResult v3 = deploy(deployer, broken, out, null);
            String afterV3 = served(site);
            out.println("The site serves: " + afterV3);

            out.println("\n== Status after the broken release");
            DeployStatus status = DeployStatus.read(target, 10);
            status.print(out);
            // v2 went live in place: the instances still run v1's AMI, with v2's revision on them
            boolean fleetOnV2 = v2.releaseId() != null && status.fleet() != null && !status.fleet().byAmi().isEmpty()
                    && status.fleet().byAmi().stream().allMatch(g -> g.release() != null && g.release().releaseId().equals(v2.releaseId()));
            boolean v2InPlace = v2.release() != null && v2.release().inPlace() != null;
            boolean ok = v1.succeeded() && v2.succeeded() && v2InPlace && v3.status().equals("FAILED") && fleetOnV2
                    && status.live() != null && v2.releaseId().equals(status.live().releaseId())
                    && afterV3.contains("version 2");
            out.println(ok ? "\nv3 failed its bake: every instance still runs v2 (put there in place by CodeDeploy; its image "
                    + v2.release().ami() + " is the launch template's for new instances), v2 is the live release and the site serves it."
                    : "\nThe releases did not end as the demo expects (v1, v2 in place SUCCEEDED; v3 FAILED; the fleet and the site on v2).");
            return ok;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static DeployResult deploy(Deployer deployer, Path war, PrintStream out, String strategy) throws Exception {
        Instant since = Instant.now();
        Deployer.Uploaded up = deployer.upload(war, KEY, strategy);
        out.printf("Uploaded %s to s3://%s/%s, version %s%n", war.getFileName(), up.bucket(), up.key(), up.versionId());
        DeployResult r = deployer.followUpload(up, since);
        DeployCommand.print(out, r);
        return r;
    }

    /** What a browser would see at the site: the status, and the sample app's version when it is the sample app. */
    static String served(String site) {
        if (site == null) return "(no site)";
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(java.net.URI.create(site)).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher v = java.util.regex.Pattern.compile("id=\"version\">([^<]*)<").matcher(r.body());
            if (v.find()) return "HTTP " + r.statusCode() + ", sample-app version " + v.group(1);
            java.util.regex.Matcher t = java.util.regex.Pattern.compile("<title>([^<]*)</title>").matcher(r.body());
            return "HTTP " + r.statusCode() + (t.find() ? ", \"" + t.group(1).trim() + "\"" : "");
        } catch (IOException e) {
            return "no answer (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
