package dev.pipeline.cli.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Workspace;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./pipeline up} and {@code down} against a running local cloud, as a user runs them after 'local start'. */
class UpDownIT {
    private static LocalCloud cloud;
    private static Path root;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start();
        root = SamTemplate.locate(Path.of("")).getParent();
    }

    @AfterAll
    static void stop() { cloud.close(); }

    private record Outcome(int code, String out, String err) {}

    private static Outcome run(Path workspace, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Workspace(workspace)));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void up_thenDown_onARunningLocalCloud_provisionsAndRemovesTheExample() throws Exception {
        String port = Integer.toString(cloud.port());

        Outcome up = run(root, "up", "--port", port, "--json");

        assertThat(up.code()).as("stdout %s%nstderr %s", up.out(), up.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(up.out());
        assertThat(result.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("outputs").path("verification").path("siteUrl").asText()).startsWith("http://vprofile-alb-");
        // the ALB's DNS name does not resolve locally: the site is the local load balancer's loopback port, and it answers
        String site = result.path("siteUrl").asText();
        assertThat(site).startsWith("http://127.0.0.1:").isNotEqualTo("http://127.0.0.1:" + port + "/");
        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(site)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        // without an instance model nothing listens on the instances: the load balancer itself answers 502 Bad Gateway
        assertThat(page.statusCode()).as(page.body()).isIn(200, 502);
        assertThat(result.path("states").toString()).contains("ProvisionAutoScalingGroup");
        assertThat(up.err()).contains("demo network");
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        Filter env = Filter.builder().name("tag:pipeline:environment").values("vprofile").build();
        assertThat(ec2.describeSecurityGroups(b -> b.filters(env)).securityGroups()).hasSize(3);

        // drift: in sync, then a world-open database port is caught, fixed, and the next check is clean
        Outcome inSync = run(root, "drift", "--port", port);
        assertThat(inSync.code()).as(inSync.out() + inSync.err()).isZero();
        assertThat(inSync.out()).contains("in sync");
        String backend = result.path("outputs").path("securityGroups").path("backendGroupId").asText();
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(backend).ipPermissions(p -> p.ipProtocol("tcp").fromPort(3306).toPort(3306)
                .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        Outcome drifted = run(root, "drift", "--port", port);
        assertThat(drifted.code()).as(drifted.out() + drifted.err()).isEqualTo(DriftCommand.DRIFTED);
        assertThat(drifted.out()).contains("sg.rule.world-open").contains("CRITICAL");
        Outcome fixed = run(root, "drift", "--port", port, "--fix");
        assertThat(fixed.code()).as(fixed.out() + fixed.err()).isZero();
        assertThat(fixed.out()).contains("Plan (safe fixes only)").contains("revoke");
        assertThat(ec2.describeSecurityGroups(b -> b.groupIds(backend)).securityGroups().getFirst().ipPermissions())
                .noneMatch(p -> p.ipRanges().stream().anyMatch(r -> r.cidrIp().equals("0.0.0.0/0")));

        Outcome down = run(root, "down", "--port", port);

        assertThat(down.code()).as("stdout %s%nstderr %s", down.out(), down.err()).isZero();
        assertThat(down.out()).contains("Teardown SUCCEEDED");
        assertThat(ec2.describeSecurityGroups(b -> b.filters(env)).securityGroups()).isEmpty();
    }

    @Test
    void up_withAnInvalidSpec_failsAtValidateSpec_listingEveryProblem(@TempDir Path dir) throws Exception {
        String spec = Files.readString(root.resolve("examples/vprofile.json"))
                .replace("203.0.113.10/32", "0.0.0.0/0").replace("\"max\": 4", "\"max\": 0");
        Path file = dir.resolve("bad.json");
        Files.writeString(file, spec);

        Outcome up = run(root, "up", "--port", Integer.toString(cloud.port()), "--spec", file.toString());

        assertThat(up.code()).isEqualTo(Main.FAILED);
        assertThat(up.out()).contains("Provisioning FAILED").contains("at ValidateSpec")
                .contains("network.adminCidr").contains("fleet.min: min 1 is greater than max 0");
    }
}
