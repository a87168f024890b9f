package dev.pipeline.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.cli.local.LocalControl;
import dev.pipeline.local.LocalCloud;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Measures the local cloud as tests feel it: how long a start takes, how long a reset takes, and what the
 * gateway adds to one forwarded call compared with calling moto directly. Starts and stops its own clouds.
 */
public final class LocalCloudBench {

    /** Every figure of one run. {@code calls} rows map a call's name to (direct, gateway). */
    public record Results(Map<String, Stats> startAndReset, Map<String, Stats[]> calls, int warmup, JsonNode status) {}

    private final int starts;
    private final int calls;
    private final PrintStream progress;

    public LocalCloudBench(int starts, int calls, PrintStream progress) {
        this.starts = starts;
        this.calls = calls;
        this.progress = progress;
    }

    public Results run() throws IOException, InterruptedException {
        Map<String, Stats> rows = new LinkedHashMap<>();
        List<Long> start = new ArrayList<>(), firstStatus = new ArrayList<>(), firstAws = new ArrayList<>(), close = new ArrayList<>();
        JsonNode status = null;
        for (int i = 1; i <= starts; i++) {
            progress.printf("start %d/%d%n", i, starts);
            long t0 = System.nanoTime();
            LocalCloud cloud = LocalCloud.start(0);
            start.add(cloud.startTime().toNanos());
            LocalControl control = new LocalControl(cloud.port());
            Optional<JsonNode> s;
            while ((s = control.status()).isEmpty()) Thread.onSpinWait();
            firstStatus.add(System.nanoTime() - t0);
            status = s.get();
            cloud.client(Ec2Client.class).describeVpcs();
            firstAws.add(System.nanoTime() - t0);
            long c0 = System.nanoTime();
            cloud.close();
            close.add(System.nanoTime() - c0);
        }
        rows.put("`LocalCloud.start()` (its `startTime()`: gateway bound, moto ready)", Stats.ofNanos(start));
        rows.put("first `GET /_local/status` answer, wall time from the start call", Stats.ofNanos(firstStatus));
        rows.put("first AWS answer (ec2 DescribeVpcs), wall time from the start call", Stats.ofNanos(firstAws));
        rows.put("`close()` (gateway and moto stopped)", Stats.ofNanos(close));

        Map<String, Stats[]> callRows = new LinkedHashMap<>();
        int warmup = Math.max(20, calls / 4);
        try (LocalCloud cloud = LocalCloud.start(0)) {
            measureResets(cloud, rows);
            Ec2Client ec2 = cloud.client(Ec2Client.class);
            SqsClient sqs = cloud.client(SqsClient.class);
            SfnClient sfn = cloud.client(SfnClient.class);
            sqs.createQueue(b -> b.queueName("bench"));
            try (Ec2Client ec2Direct = direct(cloud, Ec2Client.class);
                 SqsClient sqsDirect = direct(cloud, SqsClient.class);
                 SfnClient sfnDirect = direct(cloud, SfnClient.class)) {
                callRows.put("ec2 DescribeVpcs (query protocol, XML)", compare(warmup,
                        () -> ec2Direct.describeVpcs(), () -> ec2.describeVpcs()));
                callRows.put("sqs GetQueueUrl (JSON protocol)", compare(warmup,
                        () -> sqsDirect.getQueueUrl(b -> b.queueName("bench")), () -> sqs.getQueueUrl(b -> b.queueName("bench"))));
                callRows.put("sfn ListStateMachines (JSON protocol)", compare(warmup,
                        () -> sfnDirect.listStateMachines(), () -> sfn.listStateMachines()));
                // IAM enforcement: the same calls signed by a role, so the gateway evaluates its policy first
                String role = "bench-role";
                String vpc = ec2.describeVpcs().vpcs().getFirst().vpcId();
                ec2.createTags(b -> b.resources(vpc).tags(t -> t.key("pipeline:environment").value("bench")));
                cloud.client(software.amazon.awssdk.services.iam.IamClient.class).createRole(b -> b.roleName(role)
                        .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
                cloud.client(software.amazon.awssdk.services.iam.IamClient.class).putRolePolicy(b -> b.roleName(role).policyName("p")
                        .policyDocument(("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'ec2:DescribeVpcs','Resource':'*'},"
                                + "{'Effect':'Allow','Action':'ec2:CreateTags','Resource':'arn:aws:ec2:*:*:vpc/*','Condition':{'StringEquals':"
                                + "{'aws:ResourceTag/pipeline:environment':'bench','aws:RequestTag/pipeline:environment':'bench'}}}]}").replace('\'', '"')));
                // a role whose policy names no resource tag: the gateway need not read the VPC's tags to decide
                String untagged = "bench-role-request-tags";
                cloud.client(software.amazon.awssdk.services.iam.IamClient.class).createRole(b -> b.roleName(untagged)
                        .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
                cloud.client(software.amazon.awssdk.services.iam.IamClient.class).putRolePolicy(b -> b.roleName(untagged).policyName("p")
                        .policyDocument(("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'ec2:CreateTags',"
                                + "'Resource':'arn:aws:ec2:*:*:vpc/*','Condition':{'StringEquals':"
                                + "{'aws:RequestTag/pipeline:environment':'bench'}}}]}").replace('\'', '"')));
                try (Ec2Client ec2Role = roleClient(cloud, role); Ec2Client ec2RequestTags = roleClient(cloud, untagged)) {
                    callRows.put("ec2 DescribeVpcs as a role (IAM enforced: policy evaluated)", compare(warmup,
                            () -> ec2Direct.describeVpcs(), () -> ec2Role.describeVpcs()));
                    callRows.put("ec2 CreateTags on a VPC as a role (IAM enforced: resource tags read from moto)", compare(warmup,
                            () -> ec2Direct.createTags(b -> b.resources(vpc).tags(t -> t.key("pipeline:environment").value("bench"))),
                            () -> ec2Role.createTags(b -> b.resources(vpc).tags(t -> t.key("pipeline:environment").value("bench")))));
                    callRows.put("ec2 CreateTags on a VPC as a role whose policy names no resource tag (IAM enforced: no tags read)", compare(warmup,
                            () -> ec2Direct.createTags(b -> b.resources(vpc).tags(t -> t.key("pipeline:environment").value("bench"))),
                            () -> ec2RequestTags.createTags(b -> b.resources(vpc).tags(t -> t.key("pipeline:environment").value("bench")))));
                }
            }
        }
        return new Results(rows, callRows, warmup, status);
    }

    private void measureResets(LocalCloud cloud, Map<String, Stats> rows) throws IOException {
        progress.printf("reset x %d%n", calls);
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        SqsClient sqs = cloud.client(SqsClient.class);
        for (int i = 0; i < 10; i++) cloud.reset();
        List<Long> empty = new ArrayList<>();
        for (int i = 0; i < calls; i++) empty.add(time(cloud::reset));
        rows.put("reset of an empty cloud (`LocalCloud.reset()`)", Stats.ofNanos(empty));

        // what a test's beforeEach costs: moto drops the default VPC on reset and rebuilds it on the next EC2 call
        int n = Math.min(calls, 20);
        progress.printf("reset after state, then first EC2 call, x %d%n", n);
        List<Long> withState = new ArrayList<>(), firstAfter = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ec2.describeVpcs();
            sqs.createQueue(b -> b.queueName("state"));
            withState.add(time(cloud::reset));
            firstAfter.add(time(ec2::describeVpcs));
        }
        rows.put("reset after a test's worth of state (default VPC, a queue)", Stats.ofNanos(withState));
        rows.put("first ec2 DescribeVpcs after that reset (moto rebuilds the default VPC)", Stats.ofNanos(firstAfter));
    }

    /** Times the same call straight to moto and through the gateway, interleaved so both see the same machine load. */
    private Stats[] compare(int warmup, Runnable direct, Runnable gateway) {
        progress.printf("calls: %d warm-up + %d measured each way%n", warmup, calls);
        for (int i = 0; i < warmup; i++) {
            direct.run();
            gateway.run();
        }
        List<Long> d = new ArrayList<>(), g = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            d.add(time(direct::run));
            g.add(time(gateway::run));
        }
        return new Stats[] {Stats.ofNanos(d), Stats.ofNanos(g)};
    }

    /** An EC2 client signing as a session of {@code role} (RoleCredentials): the gateway enforces the role's policies. */
    private static Ec2Client roleClient(LocalCloud cloud, String role) {
        return Ec2Client.builder().endpointOverride(cloud.endpoint())
                .region(software.amazon.awssdk.regions.Region.of(LocalCloud.REGION))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                                dev.pipeline.local.iam.RoleCredentials.accessKeyFor(role),
                                dev.pipeline.local.iam.RoleCredentials.SECRET, dev.pipeline.local.iam.RoleCredentials.SESSION_TOKEN)))
                .build();
    }

    private static <T extends SdkClient> T direct(LocalCloud cloud, Class<T> type) {
        return cloud.motoClient(type);
    }

    private interface Call {
        void run() throws IOException;
    }

    private static long time(Call call) {
        long t0 = System.nanoTime();
        try {
            call.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return System.nanoTime() - t0;
    }
}
