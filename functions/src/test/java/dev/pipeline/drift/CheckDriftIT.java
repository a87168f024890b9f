package dev.pipeline.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.codedeploy.DeploymentGroupNames;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.gateway.FaultRule;
import dev.pipeline.local.junit.Executions;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Drift checks against an environment the real provisioning workflow built on the local cloud: clean right after
 * provisioning, each change made with the SDK found with its id and severity, one notification per distinct
 * drift, and a denied describe reported as "not checked" while the rest is still checked.
 */
@ExtendWith(LocalCloudExtension.class)
class CheckDriftIT {
    private static final String ENV = "vprofile";

    private LocalCloud cloud;
    private LocalDeployment.Deployed deployed;
    private JsonNode manifest;
    private CheckDriftHandler handler;
    private Map<String, String> functionEnv;

    @BeforeEach
    void provision(LocalCloud cloud, SfnClient sfn, S3Client s3) throws IOException {
        this.cloud = cloud;
        LandingZone zone = LandingZone.network(cloud);
        deployed = LocalDeployment.inProcess(cloud, SamTemplate.read(SamTemplate.locate(Path.of(""))))
                .deploy(ENV, Map.of("DriftAutoFix", "true")); // its role gets DriftFixPolicy, as a stack with auto-fix on
        ObjectNode in = JsonHandler.JSON.createObjectNode();
        in.set("spec", zone.spec());
        in.putObject("run").put("pollSeconds", 1).put("timeoutSeconds", 240);
        String arn = sfn.startExecution(b -> b.stateMachineArn(deployed.stateMachineArn("ProvisionStateMachine"))
                .name("provision-" + UUID.randomUUID()).input(in.toString())).executionArn();
        DescribeExecutionResponse end = Executions.awaitEnd(sfn, arn, Duration.ofMinutes(5));
        assertThat(end.status()).as(end.error() + ": " + end.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        manifest = JsonHandler.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(deployed.bucket())
                .key("pipeline/" + ENV + "/manifest.json")).asByteArray());

        Map<String, String> env = new HashMap<>(zone.functionEnvironment(cloud));
        env.put("ARTIFACT_BUCKET", deployed.bucket());
        env.put("NOTIFICATION_TOPIC_ARN", deployed.topicArn());
        env.put("ENVIRONMENT_NAME", ENV);
        env.values().removeIf(java.util.Objects::isNull); // LandingZone.network() makes no bucket, topic or profiles
        // the check calls AWS as the deployed function's execution role, so the template's grants are what it has
        env.put("AWS_ACCESS_KEY_ID", dev.pipeline.local.iam.RoleCredentials.accessKeyFor(
                dev.pipeline.local.deploy.TemplatePolicies.functionRoleName(ENV, "CheckDriftFunction")));
        env.put("AWS_SECRET_ACCESS_KEY", dev.pipeline.local.iam.RoleCredentials.SECRET);
        env.put("AWS_SESSION_TOKEN", dev.pipeline.local.iam.RoleCredentials.SESSION_TOKEN);
        functionEnv = Map.copyOf(env);
        handler = new CheckDriftHandler(env);
    }

    private JsonNode check() {
        return StageHarness.invoke(handler, scheduledEvent());
    }

    /** What the drift schedule sends (a rule without Input; events/drift-schedule.json): the function checks its own environment. */
    static ObjectNode scheduledEvent() {
        ObjectNode e = JsonHandler.JSON.createObjectNode().put("version", "0").put("id", UUID.randomUUID().toString())
                .put("detail-type", "Scheduled Event").put("source", "aws.events").put("account", LocalCloud.ACCOUNT_ID)
                .put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .put("region", "us-east-1");
        e.putArray("resources").add("arn:aws:events:us-east-1:" + LocalCloud.ACCOUNT_ID + ":rule/" + ENV + "-CheckDriftFunctionDriftSchedule");
        e.putObject("detail");
        return e;
    }

    private DriftReport report(JsonNode out) {
        try {
            return JsonHandler.JSON.readValue(cloud.client(S3Client.class).getObjectAsBytes(b -> b.bucket(deployed.bucket())
                    .key(out.path("reportKey").asText())).asByteArray(), DriftReport.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void freshEnvironment_hasNoFindings_andTheCheckIsCheap(CloudWatchClient cloudWatch, S3Client s3) {
        long before = totalCalls();

        JsonNode out = check();

        long calls = totalCalls() - before;
        DriftReport report = report(out);
        assertThat(report.findings()).as(report.summary()).isEmpty();
        assertThat(report.notChecked()).isEmpty();
        assertThat(out.path("inSync").asBoolean()).isTrue();
        assertThat(out.path("notified").asBoolean()).as("nothing to say about an environment in sync").isFalse();
        assertThat(out.path("reportKey").asText()).startsWith("drift-reports/" + ENV + "/").endsWith(".json");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(deployed.bucket()).key("drift-reports/" + ENV + "/latest.json")).asUtf8String())
                .contains("\"inSync\" : true");
        assertThat(cloudWatch.listMetrics(b -> b.namespace("Pipeline/Drift").metricName("Findings")).metrics())
                .extracting(m -> m.dimensions().stream().filter(d -> d.name().equals("Severity")).findFirst().orElseThrow().value())
                .containsExactlyInAnyOrder("critical", "high", "medium", "low");
        assertThat(calls).as("AWS calls for one check (manifest, describes, reports, metrics)").isLessThan(40);

        CheckDriftOutput bySpec = CheckDriftHandler.wire(functionEnv).run(new CheckDriftInput(null, manifest.path("spec")));
        assertThat(bySpec.inSync()).as("the same check, given the spec instead of the name").isTrue();
        assertThat(bySpec.notified()).isFalse();
    }

    /** One change made by hand, and the findings it must give (the first is the change itself). */
    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("world-open 3306 on the backend group", (Mutation) CheckDriftIT::openMariaDbToTheWorld,
                        List.of(tuple("sg.rule.world-open", Severity.CRITICAL))),
                Arguments.of("db01 stopped", (Mutation) CheckDriftIT::stopDb01,
                        List.of(tuple("instance.stopped", Severity.CRITICAL))),
                Arguments.of("db01's record pointing elsewhere", (Mutation) CheckDriftIT::pointDb01Elsewhere,
                        List.of(tuple("dns.record.mismatch", Severity.CRITICAL))),
                Arguments.of("stickiness off", (Mutation) CheckDriftIT::stickinessOff,
                        List.of(tuple("tg.stickiness.off", Severity.HIGH))),
                Arguments.of("fleet max raised", (Mutation) (c, m) -> c.client(AutoScalingClient.class).updateAutoScalingGroup(b -> b
                        .autoScalingGroupName(m.path("fleet").path("groupName").asText()).maxSize(6)),
                        List.of(tuple("asg.capacity.changed", Severity.MEDIUM))),
                Arguments.of("target group detached", (Mutation) (c, m) -> c.client(AutoScalingClient.class).detachLoadBalancerTargetGroups(b -> b
                        .autoScalingGroupName(m.path("fleet").path("groupName").asText())
                        .targetGroupARNs(m.path("loadBalancer").path("targetGroupArn").asText())),
                        List.of(tuple("asg.tg.detached", Severity.CRITICAL))),
                Arguments.of("new default launch template version with IMDSv2 optional", (Mutation) CheckDriftIT::imdsOptionalDefault,
                        // the group still names the old version: that is drift too
                        List.of(tuple("lt.imdsv2.optional", Severity.HIGH), tuple("asg.launch-template.version", Severity.MEDIUM))),
                Arguments.of("bucket versioning suspended", (Mutation) (c, m) -> c.client(S3Client.class).putBucketVersioning(b -> b
                        .bucket(c.client(S3Client.class).listBuckets().buckets().stream().map(x -> x.name())
                                .filter(n -> n.startsWith(ENV + "-artifacts")).findFirst().orElseThrow())
                        .versioningConfiguration(v -> v.status("Suspended"))),
                        List.of(tuple("bucket.versioning.off", Severity.HIGH))),
                Arguments.of("fleet health check type EC2", (Mutation) (c, m) -> c.client(AutoScalingClient.class).updateAutoScalingGroup(b -> b
                        .autoScalingGroupName(m.path("fleet").path("groupName").asText()).healthCheckType("EC2")),
                        List.of(tuple("asg.healthcheck.type", Severity.HIGH))),
                Arguments.of("health check path changed", (Mutation) (c, m) -> c.client(ElasticLoadBalancingV2Client.class).modifyTargetGroup(b -> b
                        .targetGroupArn(m.path("loadBalancer").path("targetGroupArn").asText()).healthCheckPath("/")),
                        List.of(tuple("tg.healthcheck.changed", Severity.HIGH))),
                Arguments.of("app group added to the load balancer", (Mutation) (c, m) -> c.client(ElasticLoadBalancingV2Client.class).setSecurityGroups(b -> b
                        .loadBalancerArn(m.path("loadBalancer").path("loadBalancerArn").asText())
                        .securityGroups(m.path("securityGroups").path("albGroupId").asText(), m.path("securityGroups").path("appGroupId").asText())),
                        List.of(tuple("alb.security-groups.changed", Severity.HIGH))),
                Arguments.of("in-place deployment group deleted", (Mutation) (c, m) -> c.client(CodeDeployClient.class).deleteDeploymentGroup(b -> b
                        .applicationName(DeploymentGroupNames.application(ENV)).deploymentGroupName(DeploymentGroupNames.group(ENV))),
                        List.of(tuple("codedeploy.group.missing", Severity.HIGH))),
                Arguments.of("public access block removed", (Mutation) (c, m) -> c.client(S3Client.class).deletePublicAccessBlock(b -> b
                        .bucket(ENV + "-artifacts-" + LocalCloud.ACCOUNT_ID)),
                        List.of(tuple("bucket.public-access.open", Severity.CRITICAL))));
    }

    interface Mutation extends BiConsumer<LocalCloud, JsonNode> {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void oneChange_isFound_withItsIdAndSeverity(String change, Mutation mutation, List<org.assertj.core.groups.Tuple> expected) {
        mutation.accept(cloud, manifest);

        DriftReport report = report(check());

        assertThat(report.findings()).as(report.summary()).extracting(Finding::id, Finding::severity)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(report.inSync()).isFalse();
    }

    @Test
    void severalChanges_areAllFound() {
        openMariaDbToTheWorld(cloud, manifest);
        stopDb01(cloud, manifest);
        pointDb01Elsewhere(cloud, manifest);
        stickinessOff(cloud, manifest);

        JsonNode out = check();

        assertThat(report(out).findings()).extracting(Finding::id)
                .containsExactlyInAnyOrder("sg.rule.world-open", "instance.stopped", "dns.record.mismatch", "tg.stickiness.off");
        assertThat(out.path("counts").path("critical").asInt()).isEqualTo(3);
        assertThat(out.path("counts").path("high").asInt()).isEqualTo(1);
    }

    @Test
    void sameDriftTwice_isNotifiedOnce_andItsRepairOnceMore(SnsClient sns, SqsClient sqs, Ec2Client ec2) {
        String queue = sqs.createQueue(b -> b.queueName("drift-inbox")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(deployed.topicArn()).protocol("sqs").endpoint(queueArn));
        check(); // in sync: nothing sent

        stopDb01(cloud, manifest);
        JsonNode first = check();
        JsonNode second = check();
        ec2.startInstances(b -> b.instanceIds(db01()));
        JsonNode repaired = check();

        assertThat(List.of(first, second, repaired)).extracting(o -> o.path("notified").asBoolean()).containsExactly(true, false, true);
        List<String> messages = drain(sqs, queue);
        assertThat(messages).hasSize(2);
        assertThat(messages).anySatisfy(msg -> assertThat(msg).contains("instance.stopped").contains("db01"));
        assertThat(messages).anySatisfy(msg -> assertThat(msg).contains("in sync"));
    }

    @Test
    void deniedDescribe_isNotChecked_andTheRestIsStillChecked() {
        stopDb01(cloud, manifest);
        cloud.injectFault(FaultRule.error("elasticloadbalancing", "DescribeTargetGroups", 403, "AccessDenied", "denied"));

        JsonNode out = check();

        DriftReport report = report(out);
        assertThat(report.notChecked()).extracting(NotChecked::area).containsExactly(Area.TARGET_GROUP);
        assertThat(report.notChecked().getFirst().reason()).contains("AccessDenied");
        assertThat(report.findings()).extracting(Finding::id).containsExactly("instance.stopped");
        assertThat(report.summary()).contains("not checked: " + ENV + "-tg");
        assertThat(out.path("inSync").asBoolean()).isFalse();
    }

    @Test
    void fix_repairsTheSafeSet_leavesTheRestReported_andTheNextCheckIsClean(Ec2Client ec2) {
        openMariaDbToTheWorld(cloud, manifest);
        String backend = manifest.path("securityGroups").path("backendGroupId").asText();
        // by rule id: moto's revoke-by-permission does not match group-referencing rules
        String memcached = ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(backend))).securityGroupRules()
                .stream().filter(r -> !r.isEgress() && Integer.valueOf(11211).equals(r.fromPort())).findFirst().orElseThrow().securityGroupRuleId();
        ec2.revokeSecurityGroupIngress(b -> b.groupId(backend).securityGroupRuleIds(memcached));
        pointDb01Elsewhere(cloud, manifest);
        stickinessOff(cloud, manifest);
        cloud.client(AutoScalingClient.class).detachLoadBalancerTargetGroups(b -> b.autoScalingGroupName(manifest.path("fleet")
                .path("groupName").asText()).targetGroupARNs(manifest.path("loadBalancer").path("targetGroupArn").asText()));
        imdsOptionalDefault(cloud, manifest);
        // not safe to fix automatically: a stopped database and a capacity someone chose
        stopDb01(cloud, manifest);
        cloud.client(AutoScalingClient.class).updateAutoScalingGroup(b -> b.autoScalingGroupName(manifest.path("fleet")
                .path("groupName").asText()).maxSize(6));
        DriftCheck drift = DriftCheck.wire(functionEnv);

        DriftCheck.Plan plan = drift.plan(ENV);
        List<String> done = drift.apply(plan.fixes());
        DriftReport after = drift.check(ENV);

        assertThat(plan.fixes().fixes()).extracting(Fix::findingId).containsExactlyInAnyOrder("sg.rule.world-open", "sg.rule.missing",
                "dns.record.mismatch", "tg.stickiness.off", "asg.tg.detached", "lt.imdsv2.optional");
        assertThat(done).allMatch(line -> line.startsWith("done: "));
        assertThat(after.findings()).as(after.summary()).extracting(Finding::id)
                .containsExactlyInAnyOrder("instance.stopped", "asg.capacity.changed");
        assertThat(ec2.describeInstances(b -> b.instanceIds(db01())).reservations().getFirst().instances().getFirst().state().nameAsString())
                .as("--fix never starts, stops or terminates instances").isEqualTo("stopped");
    }

    @Test
    void fix_restoresABackendRecordsTtl_andRevokesAWorldOpenRuleOnTheAppGroup(Ec2Client ec2, Route53Client route53) {
        // given db01's record at its right address but with an hour's TTL, and Tomcat's 8080 open to the world
        String db01Ip = ec2.describeInstances(b -> b.instanceIds(db01())).reservations().getFirst().instances().getFirst().privateIpAddress();
        String zoneId = manifest.path("dns").path("zoneId").asText();
        route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(ch -> ch.action("UPSERT")
                .resourceRecordSet(r -> r.name("db01.vprofile.in.").type("A").ttl(3600L).resourceRecords(v -> v.value(db01Ip))))));
        String app = manifest.path("securityGroups").path("appGroupId").asText();
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(app).ipPermissions(p -> p.ipProtocol("tcp").fromPort(8080).toPort(8080)
                .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        DriftCheck drift = DriftCheck.wire(functionEnv);

        DriftReport before = drift.check(ENV);
        DriftCheck.Plan plan = drift.plan(ENV);
        List<String> done = drift.apply(plan.fixes());
        DriftReport after = drift.check(ENV);

        assertThat(before.findings()).extracting(Finding::id).contains("dns.record.ttl");
        assertThat(plan.fixes().fixes()).extracting(Fix::describe).containsExactlyInAnyOrder(
                "UPSERT db01.vprofile.in A " + db01Ip + " TTL 60", plan.fixes().fixes().stream()
                        .filter(f -> f instanceof Fix.RevokeRule).findFirst().orElseThrow().describe());
        assertThat(plan.fixes().fixes()).filteredOn(f -> f instanceof Fix.RevokeRule).singleElement()
                .satisfies(f -> assertThat(((Fix.RevokeRule) f).groupId()).isEqualTo(app));
        assertThat(done).allMatch(line -> line.startsWith("done: "));
        assertThat(after.findings()).as(after.summary()).isEmpty();
        assertThat(ec2.describeSecurityGroups(b -> b.groupIds(app)).securityGroups().getFirst().ipPermissions())
                .noneMatch(p -> p.ipRanges().stream().anyMatch(r -> r.cidrIp().equals("0.0.0.0/0")));
    }

    @Test
    void scheduledCheck_withAutoFix_revokesAWorldOpenBackendRule_andTheSavedReportListsTheFix(Ec2Client ec2) {
        openMariaDbToTheWorld(cloud, manifest);
        stopDb01(cloud, manifest); // not safe to fix: stays reported, the instance stays stopped
        Map<String, String> env = new HashMap<>(functionEnv);
        env.put("DRIFT_AUTO_FIX", "true");
        CheckDriftHandler autoFixing = new CheckDriftHandler(env);

        JsonNode out = StageHarness.invoke(autoFixing, scheduledEvent());

        String backend = manifest.path("securityGroups").path("backendGroupId").asText();
        assertThat(ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(backend))).securityGroupRules())
                .as("the world-open MariaDB rule is gone")
                .noneMatch(r -> !r.isEgress() && "0.0.0.0/0".equals(r.cidrIpv4()));
        DriftReport saved = report(out);
        assertThat(saved.fixed()).singleElement().asString().startsWith("done: ").contains(backend).contains("3306");
        assertThat(saved.summary()).contains("Fixed automatically");
        assertThat(saved.findings()).as(saved.summary()).extracting(Finding::id).containsExactly("instance.stopped");
        assertThat(out.path("fixed").size()).isEqualTo(1);
        assertThat(out.path("notified").asBoolean()).isTrue();
        assertThat(ec2.describeInstances(b -> b.instanceIds(db01())).reservations().getFirst().instances().getFirst().state().nameAsString())
                .isEqualTo("stopped");
    }

    @Test
    void scheduledCheck_withAutoFix_reportsAFixAwsRefuses_andStillFixesTheRest(Ec2Client ec2) {
        openMariaDbToTheWorld(cloud, manifest);
        pointDb01Elsewhere(cloud, manifest);
        cloud.injectFault(FaultRule.error("ec2", "RevokeSecurityGroupIngress", 403, "UnauthorizedOperation", "denied"));
        Map<String, String> env = new HashMap<>(functionEnv);
        env.put("DRIFT_AUTO_FIX", "true");

        JsonNode out = StageHarness.invoke(new CheckDriftHandler(env), scheduledEvent());

        DriftReport saved = report(out);
        assertThat(saved.fixed()).anySatisfy(line -> assertThat(line).startsWith("failed: revoke").contains("UnauthorizedOperation"));
        assertThat(saved.fixed()).anySatisfy(line -> assertThat(line).startsWith("done: UPSERT db01"));
        assertThat(saved.findings()).as(saved.summary()).extracting(Finding::id).containsExactly("sg.rule.world-open");
    }

    @Test
    void scheduledCheck_withoutAutoFix_onlyReports(Ec2Client ec2) {
        openMariaDbToTheWorld(cloud, manifest);

        JsonNode out = check();

        DriftReport saved = report(out);
        assertThat(saved.fixed()).isEmpty();
        assertThat(saved.findings()).extracting(Finding::id).contains("sg.rule.world-open");
        String backend = manifest.path("securityGroups").path("backendGroupId").asText();
        assertThat(ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(backend))).securityGroupRules())
                .anyMatch(r -> !r.isEgress() && "0.0.0.0/0".equals(r.cidrIpv4()));
    }

    // ---------------------------------------------------------------------------------------------------------

    private String db01() {
        return manifest.path("backends").path("instances").path("db01").path("instanceId").asText();
    }

    private static void openMariaDbToTheWorld(LocalCloud cloud, JsonNode m) {
        cloud.client(Ec2Client.class).authorizeSecurityGroupIngress(b -> b.groupId(m.path("securityGroups").path("backendGroupId").asText())
                .ipPermissions(p -> p.ipProtocol("tcp").fromPort(3306).toPort(3306).ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
    }

    private static void stopDb01(LocalCloud cloud, JsonNode m) {
        cloud.client(Ec2Client.class).stopInstances(b -> b.instanceIds(m.path("backends").path("instances").path("db01").path("instanceId").asText()));
    }

    private static void pointDb01Elsewhere(LocalCloud cloud, JsonNode m) {
        cloud.client(Route53Client.class).changeResourceRecordSets(b -> b.hostedZoneId(m.path("dns").path("zoneId").asText())
                .changeBatch(c -> c.changes(ch -> ch.action("UPSERT").resourceRecordSet(r -> r.name("db01.vprofile.in.").type("A").ttl(60L)
                        .resourceRecords(v -> v.value("10.40.250.250"))))));
    }

    private static void stickinessOff(LocalCloud cloud, JsonNode m) {
        cloud.client(ElasticLoadBalancingV2Client.class).modifyTargetGroupAttributes(b -> b
                .targetGroupArn(m.path("loadBalancer").path("targetGroupArn").asText())
                .attributes(a -> a.key("stickiness.enabled").value("false")));
    }

    /** A new version that differs only in HttpTokens (moto copies nothing from SourceVersion, so pass it all), made default. */
    private static void imdsOptionalDefault(LocalCloud cloud, JsonNode m) {
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        String id = m.path("launchTemplate").path("launchTemplateId").asText();
        LaunchTemplateVersion current = ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(id).versions("$Default"))
                .launchTemplateVersions().getFirst();
        var d = current.launchTemplateData();
        long version = ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(id).sourceVersion(String.valueOf(current.versionNumber()))
                .launchTemplateData(n -> n.imageId(d.imageId()).instanceType(d.instanceTypeAsString()).userData(d.userData())
                        .securityGroupIds(d.securityGroupIds())
                        .blockDeviceMappings(d.blockDeviceMappings().stream().map(x -> software.amazon.awssdk.services.ec2.model
                                .LaunchTemplateBlockDeviceMappingRequest.builder().deviceName(x.deviceName()).ebs(e -> e
                                        .encrypted(x.ebs().encrypted()).volumeSize(x.ebs().volumeSize()).volumeType(x.ebs().volumeTypeAsString())
                                        .deleteOnTermination(x.ebs().deleteOnTermination())).build()).toList())
                        .metadataOptions(o -> o.httpTokens("optional").httpEndpoint("enabled"))))
                .launchTemplateVersion().versionNumber();
        ec2.modifyLaunchTemplate(b -> b.launchTemplateId(id).defaultVersion(String.valueOf(version)));
    }

    private long totalCalls() {
        return cloud.gateway().counters().snapshot().values().stream().mapToLong(Long::longValue).sum();
    }

    private static List<String> drain(SqsClient sqs, String queue) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            var got = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (got.isEmpty()) return bodies;
            got.forEach(msg -> bodies.add(msg.body()));
            sqs.deleteMessageBatch(b -> b.queueUrl(queue).entries(got.stream().map(msg -> software.amazon.awssdk.services.sqs.model
                    .DeleteMessageBatchRequestEntry.builder().id(msg.messageId()).receiptHandle(msg.receiptHandle()).build()).toList()));
        }
    }
}
