package dev.pipeline.provision.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.gateway.FaultRule;
import dev.pipeline.local.junit.Executions;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.pipeline.provision.codedeploy.DeploymentGroupNames;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentGroupInfo;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole provisioning and teardown executions, with template.yaml deployed to the local cloud: the environment
 * of SEED-SPEC comes up exactly, converges when run again, survives throttling, fails clearly, and leaves
 * nothing behind.
 */
@ExtendWith(LocalCloudExtension.class)
class ProvisionWorkflowIT {
    private static final String ENV = "vprofile";
    private static final Duration LIMIT = Duration.ofMinutes(8); // instances really boot now (app01 installs Tomcat and the WAR)

    private LocalDeployment.Deployed deployed;
    private LandingZone zone;

    @BeforeEach
    void deploy(LocalCloud cloud) throws Exception {
        this.cloud = cloud;
        zone = LandingZone.network(cloud);
        deployed = LocalDeployment.inProcess(cloud, SamTemplate.read(SamTemplate.locate(Path.of("")))).deploy(ENV, Map.of());
    }

    private ObjectNode input(JsonNode spec) {
        ObjectNode in = JsonHandler.JSON.createObjectNode();
        in.set("spec", spec);
        in.putObject("run").put("pollSeconds", 1).put("timeoutSeconds", 480);
        return in;
    }

    private LocalCloud cloud;

    private DescribeExecutionResponse run(SfnClient sfn, String machine, JsonNode input) {
        String arn;
        try {
            arn = sfn.startExecution(b -> b.stateMachineArn(deployed.stateMachineArn(machine))
                    .name(machine.replace("StateMachine", "") + "-" + UUID.randomUUID()).input(input.toString())).executionArn();
        } catch (RuntimeException e) {
            String log = cloud.motoLog();
            throw new AssertionError("StartExecution failed; moto's log ends:\n" + log.substring(Math.max(0, log.length() - 3000)), e);
        }
        try {
            return Executions.awaitEnd(sfn, arn, LIMIT);
        } catch (RuntimeException e) {
            String log = cloud.motoLog();
            throw new AssertionError("DescribeExecution failed; moto's log ends:\n" + log.substring(Math.max(0, log.length() - 4000)), e);
        }
    }

    private DescribeExecutionResponse provision(SfnClient sfn, JsonNode spec) {
        return run(sfn, "ProvisionStateMachine", input(spec));
    }

    private DescribeExecutionResponse teardown(SfnClient sfn) {
        return run(sfn, "TeardownStateMachine", input(zone.spec()));
    }

    private static String describe(DescribeExecutionResponse e) {
        return e.status() + " " + e.error() + ": " + e.cause();
    }

    @Test
    void provision_buildsTheSeedsEnvironment_exactly(LocalCloud cloud, SfnClient sfn, Ec2Client ec2) {
        DescribeExecutionResponse end = provision(sfn, zone.spec());

        assertThat(end.status()).as(describe(end)).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = readTree(end.output());

        // security groups exactly as SEED-SPEC's table (pipeline column)
        String alb = out.path("securityGroups").path("albGroupId").asText();
        String app = out.path("securityGroups").path("appGroupId").asText();
        String backend = out.path("securityGroups").path("backendGroupId").asText();
        assertThat(ingress(ec2, alb)).containsExactlyInAnyOrder("tcp 80 0.0.0.0/0", "tcp 80 ::/0");
        assertThat(ingress(ec2, app)).containsExactlyInAnyOrder("tcp 8080 " + alb, "tcp 8080 203.0.113.10/32");
        assertThat(ingress(ec2, backend)).containsExactlyInAnyOrder(
                "tcp 3306 " + app, "tcp 11211 " + app, "tcp 5672 " + app, "-1 all " + backend);
        assertThat(worldOpenRules(ec2)).as("only the ALB's 80/443 are open to the world").allMatch(r -> r.startsWith(alb + " tcp 80 ")
                || r.startsWith(alb + " tcp 443 "));

        // private DNS names → the backends' current private IPs
        Map<String, String> ips = backendIps(ec2);
        assertThat(ips.keySet()).containsExactlyInAnyOrder("db01", "mc01", "rmq01");
        Route53Client r53 = cloud.client(Route53Client.class);
        String zoneId = out.path("dns").path("zoneId").asText();
        Map<String, String> records = r53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .filter(r -> r.typeAsString().equals("A"))
                .collect(Collectors.toMap(r -> r.name().replaceFirst("\\.vprofile\\.in\\.$", ""), r -> r.resourceRecords().getFirst().value()));
        assertThat(records).isEqualTo(ips);

        // target group, stickiness, listener
        ElasticLoadBalancingV2Client elb = cloud.client(ElasticLoadBalancingV2Client.class);
        TargetGroup tg = elb.describeTargetGroups(b -> b.names(ENV + "-tg")).targetGroups().getFirst();
        assertThat(tg.port()).isEqualTo(8080);
        assertThat(tg.protocolAsString()).isEqualTo("HTTP");
        assertThat(tg.healthCheckPath()).isEqualTo("/login");
        Map<String, String> attrs = elb.describeTargetGroupAttributes(b -> b.targetGroupArn(tg.targetGroupArn())).attributes().stream()
                .collect(Collectors.toMap(a -> a.key(), a -> a.value()));
        assertThat(attrs).containsEntry("stickiness.enabled", "true").containsEntry("stickiness.type", "lb_cookie");
        List<Listener> listeners = elb.describeListeners(b -> b.loadBalancerArn(out.path("loadBalancer").path("loadBalancerArn").asText())).listeners();
        assertThat(listeners).anySatisfy(l -> {
            assertThat(l.port()).isEqualTo(80);
            assertThat(l.defaultActions().getFirst().targetGroupArn()).isEqualTo(tg.targetGroupArn());
        });

        // launch template: IMDSv2, encrypted volumes; group on a numbered version, behind the target group, ELB checks
        LaunchTemplateVersion lt = ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(out.path("launchTemplate")
                .path("launchTemplateId").asText()).versions("$Default")).launchTemplateVersions().getFirst();
        assertThat(lt.launchTemplateData().metadataOptions().httpTokensAsString()).isEqualTo("required");
        assertThat(lt.launchTemplateData().blockDeviceMappings()).isNotEmpty().allSatisfy(m -> assertThat(m.ebs().encrypted()).isTrue());
        assertThat(lt.launchTemplateData().imageId()).isEqualTo(out.path("goldenImage").path("imageId").asText());
        AutoScalingGroup group = cloud.client(AutoScalingClient.class).describeAutoScalingGroups(b -> b.autoScalingGroupNames(
                out.path("fleet").path("groupName").asText())).autoScalingGroups().getFirst();
        assertThat(group.targetGroupARNs()).containsExactly(tg.targetGroupArn());
        assertThat(group.healthCheckType()).isEqualTo("ELB");
        assertThat(group.launchTemplate().version()).matches("\\d+");
        assertThat(group.instances()).hasSize(2);
        // and CodeDeploy's group for in-place releases deploys to that fleet behind that target group
        DeploymentGroupInfo deploymentGroup = cloud.client(CodeDeployClient.class).getDeploymentGroup(b -> b
                .applicationName(DeploymentGroupNames.application(ENV)).deploymentGroupName(DeploymentGroupNames.group(ENV)))
                .deploymentGroupInfo();
        assertThat(deploymentGroup.autoScalingGroups()).extracting(a -> a.name()).containsExactly(group.autoScalingGroupName());
        assertThat(deploymentGroup.loadBalancerInfo().targetGroupInfoList()).extracting(t -> t.name()).containsExactly(tg.targetGroupName());
        assertThat(deploymentGroup.deploymentConfigName()).isEqualTo("CodeDeployDefault.OneAtATime");
        assertThat(deploymentGroup.serviceRoleArn()).endsWith(":role/" + ENV + "-CodeDeployServiceRole");
        assertThat(out.path("codeDeploy").path("deploymentGroupName").asText()).isEqualTo(ENV + "-fleet");

        // no secret in any user data, output or manifest
        List<String> secrets = secretValues(cloud);
        assertThat(secrets).hasSize(2).allSatisfy(s -> assertThat(s).hasSizeGreaterThanOrEqualTo(16));
        List<String> userData = new ArrayList<>();
        for (Instance i : allInstances(ec2)) {
            String ud = ec2.describeInstanceAttribute(b -> b.instanceId(i.instanceId()).attribute("userData")).userData().value();
            if (ud != null) userData.add(new String(Base64.getDecoder().decode(ud), StandardCharsets.UTF_8));
        }
        if (lt.launchTemplateData().userData() != null) {
            userData.add(new String(Base64.getDecoder().decode(lt.launchTemplateData().userData()), StandardCharsets.UTF_8));
        }
        assertThat(userData).isNotEmpty();
        String manifest = cloud.client(S3Client.class).getObjectAsBytes(b -> b.bucket(deployed.bucket())
                .key("pipeline/" + ENV + "/manifest.json")).asUtf8String();
        for (String secret : secrets) {
            assertThat(userData).noneMatch(u -> u.contains(secret));
            assertThat(end.output()).doesNotContain(secret);
            assertThat(manifest).doesNotContain(secret);
        }
        assertThat(userData).noneMatch(u -> u.contains("admin123"));
        assertThat(readTree(manifest).path("loadBalancer").path("dnsName").asText()).isNotBlank();
        assertThat(readTree(manifest).path("codeDeploy").path("deploymentGroupName").asText()).isEqualTo(ENV + "-fleet");
    }

    @Test
    void provisionTwice_createsNothingNew(LocalCloud cloud, SfnClient sfn) {
        assertThat(provision(sfn, zone.spec()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Map<String, Integer> first = Inventory.of(cloud, ENV);

        DescribeExecutionResponse again = provision(sfn, zone.spec());

        assertThat(again.status()).as(describe(again)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Inventory.of(cloud, ENV)).isEqualTo(first);
        assertThat(first).containsEntry("securityGroups", 3).containsEntry("loadBalancers", 1).containsEntry("targetGroups", 1)
                .containsEntry("launchTemplates", 1).containsEntry("autoScalingGroups", 1).containsEntry("hostedZones", 1)
                .containsEntry("images", 1).containsEntry("parameters", 2).containsEntry("instances", 3 + 2)
                .containsEntry("codeDeployApplications", 1).containsEntry("codeDeployGroups", 1);
    }

    @Test
    void provision_underThrottling_completesWithoutDuplicates(LocalCloud cloud, SfnClient sfn) {
        cloud.gateway().faults().seed(11);
        for (String service : List.of("ec2", "elasticloadbalancing", "route53")) {
            cloud.injectFault(FaultRule.throttle(service, "*", 0.3));
        }

        DescribeExecutionResponse end = provision(sfn, zone.spec());

        assertThat(end.status()).as(describe(end)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(cloud.gateway().faults().injectedErrors()).as("throttling really happened").isGreaterThan(10);
        cloud.clearFaults();
        assertThat(Inventory.of(cloud, ENV)).containsEntry("securityGroups", 3).containsEntry("loadBalancers", 1)
                .containsEntry("targetGroups", 1).containsEntry("launchTemplates", 1).containsEntry("autoScalingGroups", 1)
                .containsEntry("hostedZones", 1).containsEntry("images", 1).containsEntry("instances", 3 + 2);
    }

    @Test
    void withoutCreateHostedZoneInItsPolicy_provisioningFailsAtProvisionDns_namingTheActionAndResource(
            SfnClient sfn, software.amazon.awssdk.services.iam.IamClient iam) {
        String role = dev.pipeline.local.deploy.TemplatePolicies.functionRoleName(ENV, "ProvisionDnsFunction");
        for (String name : iam.listRolePolicies(b -> b.roleName(role)).policyNames()) {
            String doc = java.net.URLDecoder.decode(iam.getRolePolicy(b -> b.roleName(role).policyName(name)).policyDocument(),
                    StandardCharsets.UTF_8);
            iam.putRolePolicy(b -> b.roleName(role).policyName(name).policyDocument(doc.replace("\"route53:CreateHostedZone\",", "")));
        }

        DescribeExecutionResponse failed = provision(sfn, zone.spec());

        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.cause()).contains("is not authorized to perform: route53:CreateHostedZone on resource: *",
                "assumed-role/" + role + "/", "because no identity-based policy allows the route53:CreateHostedZone action");
        assertThat(Executions.statesEntered(sfn, failed.executionArn())).contains("ProvisionDns", "NotifyFailure")
                .doesNotContain("ProvisionAppServer");
    }

    @Test
    void withoutInvokeOfProvisionDnsInTheStateMachinesRole_provisioningFailsAtProvisionDns_namingTheActionAndFunction(
            SfnClient sfn, software.amazon.awssdk.services.iam.IamClient iam) {
        // the template gives the provisioning state machine's role one LambdaInvokePolicy per function it calls
        String role = dev.pipeline.local.deploy.TemplatePolicies.functionRoleName(ENV, "ProvisionStateMachine");
        String function = LocalDeployment.functionName(ENV, "ProvisionDnsFunction");
        List<String> removed = new ArrayList<>();
        for (String name : iam.listRolePolicies(b -> b.roleName(role)).policyNames()) {
            String doc = java.net.URLDecoder.decode(iam.getRolePolicy(b -> b.roleName(role).policyName(name)).policyDocument(),
                    StandardCharsets.UTF_8);
            if (doc.contains(":function:" + function + "*")) {
                iam.deleteRolePolicy(b -> b.roleName(role).policyName(name));
                removed.add(name);
            }
        }
        assertThat(removed).as("the role's grant to invoke " + function).hasSize(1);

        DescribeExecutionResponse failed = provision(sfn, zone.spec());

        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("Lambda.AccessDeniedException");
        assertThat(failed.cause()).contains("assumed-role/" + role + "/",
                "is not authorized to perform: lambda:InvokeFunction on resource: " + LocalCloud.functionArn(function));
        assertThat(Executions.statesEntered(sfn, failed.executionArn())).contains("ProvisionDns", "NotifyFailure")
                .doesNotContain("ProvisionAppServer");
    }

    @Test
    void failureAtTheLoadBalancer_namesTheStageAndCause_andARerunConverges(LocalCloud cloud, SfnClient sfn) {
        cloud.injectFault(FaultRule.error("elasticloadbalancing", "CreateLoadBalancer", 400, "TooManyLoadBalancers",
                "The quota for the number of load balancers has been reached"));

        DescribeExecutionResponse failed = provision(sfn, zone.spec());

        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("dev.pipeline.functions.StageFailedException");
        assertThat(failed.cause()).contains("TooManyLoadBalancers");
        assertThat(Executions.statesEntered(sfn, failed.executionArn())).contains("ProvisionLoadBalancerFailed", "NotifyFailure")
                .doesNotContain("ProvisionBackends");

        cloud.clearFaults();
        DescribeExecutionResponse rerun = provision(sfn, zone.spec());

        assertThat(rerun.status()).as(describe(rerun)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Inventory.of(cloud, ENV)).containsEntry("securityGroups", 3).containsEntry("loadBalancers", 1)
                .containsEntry("autoScalingGroups", 1);
    }

    @Test
    void teardown_afterAFullProvisioning_leavesNothing_andTwiceIsFine(LocalCloud cloud, SfnClient sfn) {
        assertThat(provision(sfn, zone.spec()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        DescribeExecutionResponse end = teardown(sfn);

        assertThat(end.status()).as(describe(end)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Inventory.total(Inventory.of(cloud, ENV))).as(Inventory.of(cloud, ENV).toString()).isZero();
        DescribeExecutionResponse again = teardown(sfn);
        assertThat(again.status()).as(describe(again)).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void teardown_afterAHalfFinishedProvisioning_leavesNothing(LocalCloud cloud, SfnClient sfn) {
        cloud.injectFault(FaultRule.error("ec2", "CreateLaunchTemplate", 400, "LaunchTemplateLimitExceeded", "quota"));
        assertThat(provision(sfn, zone.spec()).status()).isEqualTo(ExecutionStatus.FAILED);
        cloud.clearFaults();
        assertThat(Inventory.total(Inventory.of(cloud, ENV))).as("something was half-built").isPositive();

        DescribeExecutionResponse end = teardown(sfn);

        assertThat(end.status()).as(describe(end)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Inventory.total(Inventory.of(cloud, ENV))).as(Inventory.of(cloud, ENV).toString()).isZero();
    }

    @Test
    void invalidSpec_isRejectedWithEveryProblem_beforeAnythingIsTouched(LocalCloud cloud, SfnClient sfn) {
        ObjectNode spec = zone.spec();
        ((ObjectNode) spec.get("network")).put("vpcId", "vpc-0000000000000dead");
        ((ObjectNode) spec.get("network")).put("adminCidr", "0.0.0.0/0");
        ((ObjectNode) spec.get("fleet")).put("min", 5).put("max", 2);
        spec.put("colour", "blue");

        DescribeExecutionResponse end = provision(sfn, spec);

        assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(Executions.statesEntered(sfn, end.executionArn())).contains("ValidateSpecFailed")
                .doesNotContain("ProvisionSecurityGroups");
        assertThat(end.cause()).contains("network.adminCidr").contains("fleet").contains("colour");
        assertThat(Inventory.total(Inventory.of(cloud, ENV))).isZero();
    }

    @Test
    void bootstrapWarNamedButNotUploaded_isRefusedByValidateSpec_byNameAndWithTheUploadCommand(LocalCloud cloud, SfnClient sfn) {
        ObjectNode spec = zone.spec();
        spec.withObject("/artifacts").put("bootstrapWarKey", "bootstrap/my-app.war");

        DescribeExecutionResponse end = provision(sfn, spec);

        assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(Executions.statesEntered(sfn, end.executionArn())).contains("ValidateSpecFailed")
                .doesNotContain("ProvisionSecurityGroups");
        assertThat(end.cause()).contains("bootstrap/my-app.war").contains("aws s3 cp");
        assertThat(Inventory.total(Inventory.of(cloud, ENV))).isZero();
    }

    @Test
    void app01WhoseBootScriptFails_failsProvisioning_namingApp01AndTheEndOfItsConsole(LocalCloud cloud, SfnClient sfn, S3Client s3) {
        ObjectNode spec = zone.spec();
        spec.withObject("/artifacts").put("bootstrapWarKey", "bootstrap/not-a-war.war");
        s3.putObject(b -> b.bucket(deployed.bucket()).key("bootstrap/not-a-war.war"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("this is not a zip file"));

        DescribeExecutionResponse end = provision(sfn, spec);

        assertThat(end.status()).as(describe(end)).isEqualTo(ExecutionStatus.FAILED);
        assertThat(end.cause()).contains("app01").contains("failed to boot").contains("boot script ended: failed");
        assertThat(Executions.statesEntered(sfn, end.executionArn())).doesNotContain("BakeGoldenImage");
    }

    // ---------------------------------------------------------------------------------------------------------

    private static List<String> ingress(Ec2Client ec2, String groupId) {
        SecurityGroup g = ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().getFirst();
        List<String> rules = new ArrayList<>();
        for (IpPermission p : g.ipPermissions()) {
            String port = "-1".equals(p.ipProtocol()) ? "all" : String.valueOf(p.fromPort());
            p.ipRanges().forEach(r -> rules.add(p.ipProtocol() + " " + port + " " + r.cidrIp()));
            p.ipv6Ranges().forEach(r -> rules.add(p.ipProtocol() + " " + port + " " + r.cidrIpv6()));
            p.userIdGroupPairs().forEach(r -> rules.add(p.ipProtocol() + " " + port + " " + r.groupId()));
        }
        return rules;
    }

    private static List<String> worldOpenRules(Ec2Client ec2) {
        List<String> open = new ArrayList<>();
        for (SecurityGroup g : ec2.describeSecurityGroups(b -> b.filters(Filter.builder().name("tag:pipeline:environment").values(ENV).build())).securityGroups()) {
            for (String r : ingress(ec2, g.groupId())) if (r.endsWith(" 0.0.0.0/0") || r.endsWith(" ::/0")) open.add(g.groupId() + " " + r);
        }
        return open;
    }

    private static List<Instance> allInstances(Ec2Client ec2) {
        return ec2.describeInstancesPaginator(b -> b.filters(Filter.builder().name("tag:pipeline:environment").values(ENV).build(),
                Filter.builder().name("instance-state-name").values("pending", "running").build())).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList();
    }

    private static Map<String, String> backendIps(Ec2Client ec2) {
        return allInstances(ec2).stream()
                .filter(i -> i.tags().stream().anyMatch(t -> t.key().equals("pipeline:component") && List.of("db01", "mc01", "rmq01").contains(t.value())))
                .collect(Collectors.toMap(i -> i.tags().stream().filter(t -> t.key().equals("pipeline:component")).findFirst().orElseThrow().value(),
                        Instance::privateIpAddress));
    }

    private static List<String> secretValues(LocalCloud cloud) {
        return cloud.client(SsmClient.class).getParametersByPath(b -> b.path("/pipeline/" + ENV).recursive(true).withDecryption(true))
                .parameters().stream().filter(p -> p.typeAsString().equals("SecureString")).map(p -> p.value()).toList();
    }

    private static JsonNode readTree(String s) {
        try {
            return JsonHandler.JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
