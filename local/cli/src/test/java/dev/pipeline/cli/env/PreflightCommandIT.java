package dev.pipeline.cli.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Workspace;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.account.AccountReadiness;
import dev.pipeline.local.deploy.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./pipeline preflight}, and {@code up} refusing an account that fails it, against a running local cloud. */
class PreflightCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCloud cloud;
    private static Path root;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start();
        root = SamTemplate.locate(Path.of("")).getParent();
    }

    @AfterAll
    static void stop() { cloud.close(); }

    @BeforeEach
    void reset() throws Exception { cloud.reset(); }

    private record Outcome(int code, String out, String err) {}

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Workspace(root)));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theExample_passes_onTheDemoNetwork_exit0() {
        Outcome r = run("preflight", "--port", Integer.toString(cloud.port()));

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("demo network").contains("OK, the account can take this spec");
    }

    @Test
    void anAccountWithProblems_listsEveryOne_exit1_andAsJson(@TempDir Path dir) throws Exception {
        // given a VPC with DNS hostnames off and a spec naming an image that does not exist
        Path spec = specFor(network(false), dir, s -> ((ObjectNode) s.path("instances").path("db")).put("ami", "ami-0123456789abcdef0"));

        Outcome text = run("preflight", "--port", Integer.toString(cloud.port()), "--spec", spec.toString());
        Outcome json = run("preflight", "--port", Integer.toString(cloud.port()), "--spec", spec.toString(), "--json");

        assertThat(text.code()).as(text.out() + text.err()).isEqualTo(Main.FAILED);
        assertThat(text.out()).contains("2 problems").contains("enableDnsHostnames").contains("instances.db.ami");
        assertThat(json.code()).isEqualTo(Main.FAILED);
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.path("ok").asBoolean()).isFalse();
        assertThat(doc.path("problems").findValuesAsText("path")).containsExactlyInAnyOrder("network.vpcId", "instances.db.ami");
    }

    @Test
    void aBootstrapWarTheSpecNamesThatNobodyUploaded_isAProblem_untilItIsThere(@TempDir Path dir) throws Exception {
        // given a sound account and a spec whose app01 boots with the user's own WAR, not yet uploaded
        Path spec = specFor(network(true), dir, s -> ((ObjectNode) s.path("artifacts")).put("bootstrapWarKey", "seed/shop v1.war"));

        Outcome before = run("preflight", "--port", Integer.toString(cloud.port()), "--spec", spec.toString());

        assertThat(before.code()).as(before.out() + before.err()).isEqualTo(Main.FAILED);
        assertThat(before.out()).contains("1 problem").contains("artifacts.bootstrapWarKey").contains("seed/shop v1.war")
                .contains("aws s3 cp");

        // when it is uploaded where the local stack's bucket will be, the account can take the spec
        String bucket = dev.pipeline.local.deploy.LocalDeployment.bucketName("vprofile");
        var s3 = cloud.client(software.amazon.awssdk.services.s3.S3Client.class);
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("seed/shop v1.war"), software.amazon.awssdk.core.sync.RequestBody.fromString("PK"));
        Outcome after = run("preflight", "--port", Integer.toString(cloud.port()), "--spec", spec.toString());
        assertThat(after.code()).as(after.out() + after.err()).isEqualTo(Main.OK);
    }

    @Test
    void up_againstAVpcWithDnsHostnamesOff_failsAtValidateSpec_namingIt_withNothingCreated(@TempDir Path dir) throws Exception {
        Path spec = specFor(network(false), dir, s -> {});

        Outcome up = run("up", "--port", Integer.toString(cloud.port()), "--spec", spec.toString(), "--json");

        assertThat(up.code()).as(up.out() + up.err()).isEqualTo(Main.FAILED);
        JsonNode result = JSON.readTree(up.out());
        assertThat(result.path("failure").path("stage").asText()).isEqualTo("ValidateSpec");
        assertThat(result.path("failure").path("cause").asText()).contains("enableDnsHostnames");
        // no stage after ValidateSpec ran: only the failure path (notify, answer the stack, fail)
        assertThat(result.path("states").findValuesAsText("name"))
                .noneMatch(n -> n.startsWith("Provision") && !n.equals("ProvisioningFailed"))
                .doesNotContain("ProvisionSecurityGroups", "ProvisionSecrets");
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        Filter env = Filter.builder().name("tag:pipeline:environment").values("vprofile").build();
        assertThat(ec2.describeSecurityGroups(b -> b.filters(env)).securityGroups()).isEmpty();
        assertThat(ec2.describeInstances(b -> b.filters(env)).reservations()).isEmpty();
    }

    /** A network set up as the preflight requires, with DNS hostnames on or off; returns [vpc, pub0, pub1, app0, app1]. */
    private static List<String> network(boolean dnsHostnames) {
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.50.0.0/16")).vpc().vpcId();
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpc));
        List<String> pub = List.of(subnet(ec2, vpc, "10.50.0.0/24", "us-east-1a"), subnet(ec2, vpc, "10.50.1.0/24", "us-east-1b"));
        List<String> app = List.of(subnet(ec2, vpc, "10.50.10.0/24", "us-east-1a"), subnet(ec2, vpc, "10.50.11.0/24", "us-east-1b"));
        AccountReadiness.network(ec2, vpc, igw, pub, app);
        AccountReadiness.vcpuQuota(cloud.client(ServiceQuotasClient.class));
        if (!dnsHostnames) ec2.modifyVpcAttribute(b -> b.vpcId(vpc).enableDnsHostnames(v -> v.value(false)));
        return List.of(vpc, pub.get(0), pub.get(1), app.get(0), app.get(1));
    }

    private static Path specFor(List<String> net, Path dir, java.util.function.Consumer<ObjectNode> change) throws Exception {
        ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(root.resolve("examples/vprofile.json")));
        ObjectNode n = (ObjectNode) spec.get("network");
        n.put("vpcId", net.get(0));
        ArrayNode p = n.putArray("publicSubnets");
        p.add(net.get(1)).add(net.get(2));
        ArrayNode a = n.putArray("appSubnets");
        a.add(net.get(3)).add(net.get(4));
        change.accept(spec);
        Path file = dir.resolve("spec.json");
        Files.writeString(file, spec.toString());
        return file;
    }

    private static String subnet(Ec2Client ec2, String vpc, String cidr, String az) {
        return ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(cidr).availabilityZone(az)).subnet().subnetId();
    }
}
