package dev.pipeline.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.drift.DriftCheck;
import dev.pipeline.drift.DriftReport;
import dev.pipeline.cli.workflow.WorkflowRun;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.junit.Executions;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code bench drift}: provisions the example environment on a fresh local cloud, grows it to a synthetic size
 * (fleet instances, security group rules, DNS records), and measures the drift check's AWS calls and wall time
 * against a naive one-call-per-resource read ({@link NaiveSnapshot}) in the same run.
 */
public final class BenchDriftCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RUNS = 3;
    /** AWS's default quota, and what moto enforces, per VPC security group and direction. */
    private static final int RULES_PER_GROUP_AND_DIRECTION = 60;

    /** One side of the comparison: calls of one run (they do not vary), wall times of all. */
    record Measured(Map<String, Long> calls, Stats wall) {
        long total() { return calls.values().stream().mapToLong(Long::longValue).sum(); }
    }

    /** What the synthetic environment holds, as the drift check sees it. */
    record Size(int fleetInstances, int securityGroupRules, int dnsRecords, int findings) {}

    @Override public String name() { return "bench drift"; }

    @Override public String summary() { return "Measure a drift check on a large synthetic environment against a naive per-resource read"; }

    @Override public String description() {
        return """
            On a fresh local cloud: deploys template.yaml, provisions examples/vprofile.json, then grows the
            environment (the fleet to --instances, security groups to their 60-rule quota per direction with /32
            rules, --records extra A records in the zone). Measures the drift check (DriftCheck.check) and a
            naive read of the same resources one call per instance, rule and record, sequentially: AWS calls
            from the gateway's counters and the median wall time of 3 runs each. Writes a Markdown table to --out.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("out", "FILE", "docs/benchmarks/drift.md", "Where to write the Markdown report"),
                Option.value("instances", "N", "500", "Fleet instances"),
                Option.value("records", "N", "100", "Extra DNS records in the zone"),
                BenchReport.JSON_FLAG);
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        int instances = options.intValue("instances", 1, 5000);
        int records = options.intValue("records", 0, 5000);
        Path root = context.workspace().root();
        Path out = root.resolve(options.value("out").orElseThrow());
        SamTemplate template = SamTemplate.read(SamTemplate.locate(root));
        ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(root.resolve("examples/vprofile.json")));
        String env = spec.path("name").asText();
        try (LocalCloud cloud = LocalCloud.start()) {
            LocalDeployment.Deployed d = LocalDeployment.inProcess(cloud, template).deploy("vprofile", Map.of());
            largeNetwork(cloud, spec);
            provision(cloud, d, spec);
            String bucket = d.bucket();
            JsonNode manifest = JSON.readTree(cloud.client(S3Client.class)
                    .getObjectAsBytes(b -> b.bucket(bucket).key("pipeline/" + env + "/manifest.json")).asByteArray());
            long t0 = System.nanoTime();
            try {
                grow(cloud, manifest, instances, records);
            } catch (RuntimeException e) {
                context.err().println(cloud.motoLog());
                throw e;
            }
            context.err().printf("grew the environment in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            DriftCheck drift = DriftCheck.wire(vars(cloud, bucket));
            DriftReport[] last = new DriftReport[1];
            Measured real = measure(cloud, () -> last[0] = drift.check(env));
            context.err().printf("drift check: %d calls, median %s%n", real.total(), Stats.format(real.wall().median()));
            NaiveSnapshot naive = new NaiveSnapshot(cloud);
            Measured slow = measure(cloud, () -> naive.read(bucket, env));
            context.err().printf("naive: %d calls, median %s%n", slow.total(), Stats.format(slow.wall().median()));
            Size size = size(cloud, manifest, last[0]);
            Map<String, Double> largest = largestReads(cloud, manifest, env);
            String report = markdown(real, slow, size, instances, records, largest);
            var json = JSON.createObjectNode().put("command", "./pipeline bench drift --instances " + instances + " --records " + records);
            json.set("machine", BenchReport.json(BenchReport.Machine.current()));
            json.putObject("environment").put("fleetInstances", size.fleetInstances()).put("securityGroupRules", size.securityGroupRules())
                    .put("dnsRecords", size.dnsRecords()).put("findings", size.findings());
            for (var e : Map.of("driftCheck", real, "naive", slow).entrySet()) {
                var o = json.putObject(e.getKey()).put("awsCalls", e.getValue().total());
                o.set("wallTime", BenchReport.json(e.getValue().wall()));
                var by = o.putObject("callsByOperation");
                new java.util.TreeMap<>(e.getValue().calls()).forEach(by::put);
            }
            json.put("callRatio", (double) slow.total() / real.total()).put("timeRatio", slow.wall().median() / real.wall().median());
            var reads = json.putObject("largestReadsMs");
            largest.forEach(reads::put);
            BenchReport.emit(options, context, out, report, json);
        }
        return Main.OK;
    }

    /**
     * Like the demo network, but with /20 app subnets: moto launches all of a scaling's new instances in one subnet
     * (and answers HTTP 500, not InsufficientFreeAddressesInSubnet, when it runs out), and a /24 holds 251.
     */
    private static void largeNetwork(LocalCloud cloud, ObjectNode spec) {
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpc));
        ObjectNode net = (ObjectNode) spec.get("network");
        net.put("vpcId", vpc);
        var pub = net.putArray("publicSubnets");
        var app = net.putArray("appSubnets");
        pub.add(subnet(ec2, vpc, "10.40.0.0/24", "us-east-1a"));
        pub.add(subnet(ec2, vpc, "10.40.1.0/24", "us-east-1b"));
        app.add(subnet(ec2, vpc, "10.40.16.0/20", "us-east-1a"));
        app.add(subnet(ec2, vpc, "10.40.32.0/20", "us-east-1b"));
        // set up as the preflight requires (DNS, routes, NAT), with room for 500 instances of 2 vCPUs
        dev.pipeline.local.account.AccountReadiness.network(ec2, vpc, igw, List.of(pub.get(0).asText(), pub.get(1).asText()),
                List.of(app.get(0).asText(), app.get(1).asText()));
        dev.pipeline.local.account.AccountReadiness.vcpuQuota(cloud.client(ServiceQuotasClient.class), 1100);
    }

    private static String subnet(Ec2Client ec2, String vpc, String cidr, String az) {
        return ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(cidr).availabilityZone(az)).subnet().subnetId();
    }

    private static void provision(LocalCloud cloud, LocalDeployment.Deployed d, ObjectNode spec) {
        SfnClient sfn = cloud.client(SfnClient.class);
        String input = WorkflowRun.input(spec, 1, 600).toString();
        String arn = sfn.startExecution(b -> b.stateMachineArn(d.stateMachineArn("ProvisionStateMachine"))
                .name("bench-drift-" + System.nanoTime()).input(input)).executionArn();
        var end = Executions.awaitEnd(sfn, arn, Duration.ofMinutes(10));
        if (end.status() != ExecutionStatus.SUCCEEDED) {
            throw new CommandFailedException("provisioning " + end.status() + ": " + end.error() + ": " + end.cause());
        }
    }

    /** Scales the fleet, fills every group's rule quota with /32 rules, adds A records: all drift, all read. */
    private static void grow(LocalCloud cloud, JsonNode manifest, int instances, int records) {
        String group = manifest.path("fleet").path("groupName").asText();
        cloud.client(AutoScalingClient.class).updateAutoScalingGroup(b -> b.autoScalingGroupName(group)
                .maxSize(instances).desiredCapacity(instances));
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        int n = 0;
        for (String key : List.of("albGroupId", "appGroupId", "backendGroupId")) {
            String gid = manifest.path("securityGroups").path(key).asText();
            for (boolean egress : List.of(false, true)) {
                long have = ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(gid).build()))
                        .securityGroupRules().stream().filter(r -> r.isEgress() == egress).count();
                List<IpRange> ranges = new ArrayList<>();
                for (long i = have; i < RULES_PER_GROUP_AND_DIRECTION; i++, n++) {
                    ranges.add(IpRange.builder().cidrIp("198.51." + (n / 250) + "." + (n % 250 + 1) + "/32")
                            .description("bench admin " + n).build());
                }
                if (ranges.isEmpty()) continue;
                IpPermission p = IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22).ipRanges(ranges).build();
                if (egress) ec2.authorizeSecurityGroupEgress(b -> b.groupId(gid).ipPermissions(p));
                else ec2.authorizeSecurityGroupIngress(b -> b.groupId(gid).ipPermissions(p));
            }
        }
        String zoneId = manifest.path("dns").path("zoneId").asText();
        String zoneName = manifest.path("dns").path("zoneName").asText().replaceAll("\\.$", "");
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            String ip = "10.99." + (i / 250) + "." + (i % 250 + 1);
            String name = "bench" + i + "." + zoneName;
            changes.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(r -> r.name(name)
                    .type(RRType.A).ttl(60L).resourceRecords(v -> v.value(ip))).build());
        }
        // Route 53 takes at most 1000 changes per batch
        for (int from = 0; from < changes.size(); from += 1000) {
            List<Change> batch = changes.subList(from, Math.min(changes.size(), from + 1000));
            cloud.client(Route53Client.class).changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(batch)));
        }
    }

    private static Map<String, String> vars(LocalCloud cloud, String bucket) {
        Map<String, String> vars = new HashMap<>(LocalCloud.functionEnvironment(cloud.endpoint()));
        vars.put("ARTIFACT_BUCKET", bucket);
        return vars;
    }

    private static Measured measure(LocalCloud cloud, Supplier<?> read) {
        List<Long> nanos = new ArrayList<>();
        Map<String, Long> calls = null;
        for (int i = 0; i < RUNS; i++) {
            cloud.gateway().counters().clear();
            long t0 = System.nanoTime();
            read.get();
            nanos.add(System.nanoTime() - t0);
            if (calls == null) calls = new TreeMap<>(cloud.counters());
        }
        return new Measured(calls, Stats.ofNanos(nanos));
    }

    /** Wall time of the check's three largest reads on their own, one call each: where its time goes. */
    private static Map<String, Double> largestReads(LocalCloud cloud, JsonNode manifest, String env) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        String group = manifest.path("fleet").path("groupName").asText();
        List<String> gids = new ArrayList<>();
        for (String key : List.of("albGroupId", "appGroupId", "backendGroupId")) gids.add(manifest.path("securityGroups").path(key).asText());
        out.put("ec2:DescribeInstances (tag filter, every instance, through the gateway)", time(() -> ec2.describeInstances(b -> b.maxResults(1000)
                .filters(Filter.builder().name("tag:pipeline:environment").values(env).build()))));
        out.put("the same DescribeInstances straight to moto (no gateway)", time(() -> cloud.motoClient(Ec2Client.class)
                .describeInstances(b -> b.maxResults(1000).filters(Filter.builder().name("tag:pipeline:environment").values(env).build()))));
        out.put("autoscaling:DescribeAutoScalingGroups (the group and its members)", time(() -> cloud.client(AutoScalingClient.class)
                .describeAutoScalingGroups(b -> b.autoScalingGroupNames(group))));
        out.put("ec2:DescribeSecurityGroupRules (3 groups)", time(() -> ec2.describeSecurityGroupRules(b -> b.maxResults(1000)
                .filters(Filter.builder().name("group-id").values(gids).build()))));
        return out;
    }

    private static double time(Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The synthetic environment's size, counted the way AWS would report it. */
    private static Size size(LocalCloud cloud, JsonNode manifest, DriftReport report) {
        String group = manifest.path("fleet").path("groupName").asText();
        int fleet = cloud.client(AutoScalingClient.class).describeAutoScalingGroups(b -> b.autoScalingGroupNames(group))
                .autoScalingGroups().getFirst().instances().size();
        List<String> gids = new ArrayList<>();
        for (String key : List.of("albGroupId", "appGroupId", "backendGroupId")) gids.add(manifest.path("securityGroups").path(key).asText());
        int rules = cloud.client(Ec2Client.class).describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(gids).build()))
                .securityGroupRules().size();
        int[] dns = {0};
        cloud.client(Route53Client.class).listResourceRecordSetsPaginator(b -> b.hostedZoneId(manifest.path("dns").path("zoneId").asText()))
                .resourceRecordSets().forEach(r -> dns[0]++);
        return new Size(fleet, rules, dns[0], report.findings().size());
    }

    private static String markdown(Measured real, Measured naive, Size size, int instances, int records, Map<String, Double> largest) {
        BenchReport.Machine m = BenchReport.Machine.current();
        StringBuilder sb = new StringBuilder("# Drift check on a large environment (local cloud)\n\n");
        sb.append("Command: `./pipeline bench drift --instances ").append(instances).append(" --records ").append(records)
                .append("`, ").append(m.when().toLocalDate()).append(". Machine: ").append(m.cpus()).append(" CPUs (")
                .append(m.cpuModel()).append("), ").append(m.os()).append(", Java ").append(m.java())
                .append(", load average ").append(m.loadAverage()).append(" when the run ended.\n\n");
        sb.append("The example environment, provisioned on a fresh local cloud, then grown to: ").append(size.fleetInstances())
                .append(" fleet instances, ").append(size.securityGroupRules()).append(" security group rules (each group filled to ")
                .append("its 60-rule quota per direction with /32 rules), ").append(size.dnsRecords()).append(" DNS record sets. ")
                .append("The check reports ").append(size.findings()).append(" findings on it (the added rules, records and the fleet size are drift).\n\n");
        sb.append("| read | AWS calls | wall time (median of ").append(RUNS).append(") | min | max |\n|---|---:|---:|---:|---:|\n");
        row(sb, "drift check (`DriftCheck.check`: batched, paginated, services in parallel)", real);
        row(sb, "naive (one call per instance, rule and record, sequential)", naive);
        sb.append(String.format(Locale.ROOT, "| **ratio naive / check** | **%.0f×** | **%.1f×** | | |%n",
                (double) naive.total() / real.total(), naive.wall().median() / real.wall().median()));
        sb.append("\nAims (issue 5): under 40 calls, under 5 s locally.\n\n");
        sb.append("Calls by operation, drift check: ").append(byOperation(real)).append(".\n\n");
        sb.append("Calls by operation, naive: ").append(byOperation(naive)).append(".\n\n");
        sb.append("Where the check's time goes: its largest reads, timed alone (one call each, after the runs above):\n\n| call | wall time |\n|---|---:|\n");
        largest.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(Stats.format(v)).append(" |\n"));
        sb.append("\nEvery read runs on its own virtual thread, so the check takes about as long as its slowest read, DescribeInstances; moto serves the reads under one Python interpreter lock, so they also slow each other down.\n\n");
        sb.append("The gateway counts every call that reaches it, including the check's read of the applied manifest (s3:GetObject). ")
                .append("Wall times include the gateway and moto on the same machine; on AWS each call costs a network round trip ")
                .append("(tens of ms), so the naive read's cost grows with the call count far more than it does here.\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String label, Measured r) {
        sb.append("| ").append(label).append(" | ").append(r.total()).append(" | ").append(Stats.format(r.wall().median()))
                .append(" | ").append(Stats.format(r.wall().min())).append(" | ").append(Stats.format(r.wall().max())).append(" |\n");
    }

    private static String byOperation(Measured r) {
        StringBuilder sb = new StringBuilder();
        r.calls().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(" ").append(v));
        return sb.toString();
    }
}
