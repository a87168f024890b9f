package dev.pipeline.local.codedeploy;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.elb.LoadBalancers;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.local.junit.TestRoles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.AutoRollbackEvent;
import software.amazon.awssdk.services.codedeploy.model.DeploymentAlreadyCompletedException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentLimitExceededException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentGroupDoesNotExistException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentOption;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import software.amazon.awssdk.services.codedeploy.model.DeploymentType;
import software.amazon.awssdk.services.codedeploy.model.InstanceTarget;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEvent;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocation;
import software.amazon.awssdk.services.codedeploy.model.RevisionRequiredException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CodeDeploy in-place deployments on instances that serve a little site (Tomcat's ROOT webapp) behind the local ALB,
 * with the real SDK client: one instance at a time out of the target group, AWS's lifecycle events, a failing
 * ValidateService with its diagnostics and the automatic rollback, and an Auto Scaling launch given the last good
 * revision.
 */
@ExtendWith(LocalCloudExtension.class)
class CodeDeployIT {
    private static final String APP = "site";
    private static final String GROUP = "site-fleet";
    private static final String ASG = "site-asg";
    private static final String BUCKET = "site-revisions";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The golden image's part: Tomcat and the CodeDeploy agent as enabled units, the site at v0. */
    private static final String USER_DATA = """
            #!/bin/bash
            set -e
            dnf install -y tomcat9
            mkdir -p /var/lib/tomcat9/webapps/ROOT
            echo v0 > /var/lib/tomcat9/webapps/ROOT/version.txt
            cat > /etc/systemd/system/codedeploy-agent.service <<'UNIT'
            [Unit]
            Description=AWS CodeDeploy Host Agent
            [Service]
            Type=forking
            ExecStart=/bin/true
            UNIT
            systemctl enable codedeploy-agent
            systemctl start codedeploy-agent
            systemctl enable tomcat9
            systemctl start tomcat9
            """;

    private LocalCloud cloud;
    private boolean previousMode;

    @AfterEach
    void restore() {
        if (cloud != null) LoadBalancers.of(cloud).healthFromChecks(previousMode);
    }

    @Test
    void deployments_runOnTheInstances_oneAtATime_failWithScriptDiagnostics_rollBack_andLaunchesGetTheLastGoodRevision(
            LocalCloud cloud, CodeDeployClient cd, Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb, S3Client s3)
            throws Exception {
        this.cloud = cloud;
        this.previousMode = LoadBalancers.of(cloud).healthFromChecks();
        LoadBalancers.of(cloud).healthFromChecks(true);
        s3.createBucket(b -> b.bucket(BUCKET));
        for (String v : List.of("v1", "v2")) upload(s3, v, revision(v, "grep -q " + v + " /var/lib/tomcat9/webapps/ROOT/version.txt"));
        upload(s3, "v3", revision("v3", "echo checking v3\necho 'validation failed: v3 is broken' >&2\nexit 3"));

        String tg = givenFleet(ec2, asg, elb);
        String site = site();
        awaitHealthy(elb, tg, 2);

        ServiceRoles.create(cloud, "codedeploy");
        cd.createApplication(b -> b.applicationName(APP));
        cd.createDeploymentGroup(b -> b.applicationName(APP).deploymentGroupName(GROUP).serviceRoleArn("arn:aws:iam::123456789012:role/codedeploy")
                .autoScalingGroups(ASG).deploymentConfigName("CodeDeployDefault.OneAtATime")
                .deploymentStyle(s -> s.deploymentType(DeploymentType.IN_PLACE).deploymentOption(DeploymentOption.WITH_TRAFFIC_CONTROL))
                .loadBalancerInfo(l -> l.targetGroupInfoList(t -> t.name("site-tg"))));

        // refused as AWS refuses
        assertThatThrownBy(() -> cd.createDeployment(b -> b.applicationName(APP).deploymentGroupName("nope").revision(rev("v1"))))
                .isInstanceOf(DeploymentGroupDoesNotExistException.class);
        assertThatThrownBy(() -> cd.createDeployment(b -> b.applicationName(APP).deploymentGroupName(GROUP)))
                .isInstanceOf(RevisionRequiredException.class);

        // v1: one instance at a time out of the target group, never both
        AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (watching.get()) {
                try {
                    int registered = elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions().size();
                    fewest.accumulateAndGet(registered, Math::min);
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });
        String v1 = cd.createDeployment(b -> b.applicationName(APP).deploymentGroupName(GROUP).revision(rev("v1"))).deploymentId();
        assertThatThrownBy(() -> cd.createDeployment(b -> b.applicationName(APP).deploymentGroupName(GROUP).revision(rev("v2"))))
                .isInstanceOf(DeploymentLimitExceededException.class);
        assertThat(cd.listDeploymentTargets(b -> b.deploymentId(v1)).targetIds()).hasSize(2);
        DeploymentInfo done = await(cd, v1);
        watching.set(false);
        watcher.join();
        assertThat(done.status()).as("%s", done.errorInformation()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(done.deploymentOverview().succeeded()).isEqualTo(2);
        assertThat(done.creatorAsString()).isEqualTo("user");
        assertThat(fewest.get()).as("targets registered at the fewest").isEqualTo(1);
        for (String id : cd.listDeploymentTargets(b -> b.deploymentId(v1)).targetIds()) {
            InstanceTarget t = cd.getDeploymentTarget(b -> b.deploymentId(v1).targetId(id)).deploymentTarget().instanceTarget();
            assertThat(t.statusAsString()).isEqualTo("Succeeded");
            assertThat(t.lifecycleEvents()).extracting(LifecycleEvent::lifecycleEventName).containsExactly(
                    "BeforeBlockTraffic", "BlockTraffic", "AfterBlockTraffic", "ApplicationStop", "DownloadBundle", "BeforeInstall",
                    "Install", "AfterInstall", "ApplicationStart", "ValidateService", "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic");
            assertThat(t.lifecycleEvents()).extracting(LifecycleEvent::statusAsString).containsOnly("Succeeded");
        }
        awaitHealthy(elb, tg, 2);
        assertThat(served(site, 6)).containsOnly("v1");

        // v3 fails its ValidateService on the first instance: the deployment fails, the other instance is skipped,
        // and the automatic rollback puts v1 back
        cd.updateDeploymentGroup(b -> b.applicationName(APP).currentDeploymentGroupName(GROUP)
                .autoRollbackConfiguration(a -> a.enabled(true).events(AutoRollbackEvent.DEPLOYMENT_FAILURE)));
        String v3 = cd.createDeployment(b -> b.applicationName(APP).deploymentGroupName(GROUP).revision(rev("v3"))).deploymentId();
        DeploymentInfo failed = await(cd, v3);
        assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(failed.errorInformation().codeAsString()).isEqualTo("HEALTH_CONSTRAINTS");
        assertThat(failed.deploymentOverview().failed()).isEqualTo(1);
        assertThat(failed.deploymentOverview().skipped()).isEqualTo(1);
        InstanceTarget bad = cd.batchGetDeploymentTargets(b -> b.deploymentId(v3).targetIds(
                cd.listDeploymentTargets(l -> l.deploymentId(v3)).targetIds())).deploymentTargets().stream()
                .map(t -> t.instanceTarget()).filter(t -> t.statusAsString().equals("Failed")).findFirst().orElseThrow();
        LifecycleEvent validate = bad.lifecycleEvents().stream().filter(e -> e.lifecycleEventName().equals("ValidateService")).findFirst().orElseThrow();
        assertThat(validate.statusAsString()).isEqualTo("Failed");
        assertThat(validate.diagnostics().errorCodeAsString()).isEqualTo("ScriptFailed");
        assertThat(validate.diagnostics().scriptName()).isEqualTo("scripts/validate.sh");
        assertThat(validate.diagnostics().message()).isEqualTo("Script at specified location: scripts/validate.sh failed with exit code 3");
        assertThat(validate.diagnostics().logTail()).contains("[stdout]checking v3").contains("[stderr]validation failed: v3 is broken");
        assertThat(bad.lifecycleEvents().getLast().statusAsString()).isEqualTo("Skipped");

        String rollbackId = failed.rollbackInfo().rollbackDeploymentId();
        assertThat(rollbackId).isNotBlank();
        DeploymentInfo rollback = await(cd, rollbackId);
        assertThat(rollback.status()).as("%s", rollback.errorInformation()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(rollback.creatorAsString()).isEqualTo("codeDeployRollback");
        assertThat(rollback.rollbackInfo().rollbackTriggeringDeploymentId()).isEqualTo(v3);
        assertThat(rollback.revision().s3Location().key()).isEqualTo("v1.zip");
        awaitHealthy(elb, tg, 2);
        assertThat(served(site, 6)).containsOnly("v1");
        assertThat(cd.getDeploymentGroup(b -> b.applicationName(APP).deploymentGroupName(GROUP)).deploymentGroupInfo()
                .lastSuccessfulDeployment().deploymentId()).isEqualTo(rollbackId);

        // a launch into the Auto Scaling group gets the last good revision
        asg.setDesiredCapacity(b -> b.autoScalingGroupName(ASG).desiredCapacity(3));
        Instant deadline = Instant.now().plusSeconds(120);
        DeploymentInfo launch = null;
        while (launch == null) {
            assertThat(Instant.now()).as("no deployment for the launched instance").isBefore(deadline);
            launch = cd.batchGetDeployments(b -> b.deploymentIds(cd.listDeployments(l -> l.applicationName(APP).deploymentGroupName(GROUP))
                    .deployments())).deploymentsInfo().stream().filter(d -> d.creatorAsString().equals("autoscaling")).findFirst().orElse(null);
            Thread.sleep(200);
        }
        DeploymentInfo launched = await(cd, launch.deploymentId());
        assertThat(launched.status()).as("%s", launched.errorInformation()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(launched.revision().s3Location().key()).isEqualTo("v1.zip");
        assertThat(cd.listDeploymentTargets(b -> b.deploymentId(launched.deploymentId())).targetIds()).hasSize(1);
        awaitHealthy(elb, tg, 3);
        assertThat(served(site, 9)).containsOnly("v1");
    }

    @Test
    void tagFilteredInstances_anInstanceWithoutTheAgentFailsAsAwsReportsIt_andAnAlarmStopsTheDeployment(
            LocalCloud cloud, CodeDeployClient cd, Ec2Client ec2, S3Client s3, CloudWatchClient cw) throws Exception {
        this.cloud = cloud;
        this.previousMode = LoadBalancers.of(cloud).healthFromChecks();
        s3.createBucket(b -> b.bucket(BUCKET));
        upload(s3, "v1", revision("v1", "grep -q v1 /var/lib/tomcat9/webapps/ROOT/version.txt"));
        String image = ec2.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
        String withAgent = launch(ec2, image, USER_DATA, "agent");
        String withoutAgent = launch(ec2, image, USER_DATA.replaceAll("(?s)cat > /etc/systemd/system/codedeploy-agent.*?start codedeploy-agent\n", ""), "none");
        ServiceRoles.create(cloud, "codedeploy");
        cd.createApplication(b -> b.applicationName(APP));
        for (String role : List.of("agent", "none")) {
            cd.createDeploymentGroup(b -> b.applicationName(APP).deploymentGroupName(role).serviceRoleArn("arn:aws:iam::123456789012:role/codedeploy")
                    .ec2TagFilters(f -> f.key("role").value(role).type("KEY_AND_VALUE"))
                    .alarmConfiguration(a -> a.enabled(true).alarms(x -> x.name("app-errors"))));
        }
        cw.putMetricAlarm(b -> b.alarmName("app-errors").namespace("Custom/App").metricName("Errors").statistic("Sum")
                .period(60).evaluationPeriods(1).threshold(1.0).comparisonOperator("GreaterThanOrEqualToThreshold"));
        cw.setAlarmState(b -> b.alarmName("app-errors").stateValue("ALARM").stateReason("test: errors"));

        // an alarm in ALARM stops the deployment before any instance is touched (ErrorInformation ALARM_ACTIVE)
        String stopped = cd.createDeployment(b -> b.applicationName(APP).deploymentGroupName("agent").revision(rev("v1"))).deploymentId();
        DeploymentInfo s = await(cd, stopped);
        assertThat(s.status()).isEqualTo(DeploymentStatus.STOPPED);
        assertThat(s.errorInformation().codeAsString()).isEqualTo("ALARM_ACTIVE");
        assertThat(s.errorInformation().message()).contains("app-errors");
        assertThat(s.deploymentOverview().skipped()).isEqualTo(1);

        cw.setAlarmState(b -> b.alarmName("app-errors").stateValue("OK").stateReason("test: fine"));
        String good = cd.createDeployment(b -> b.applicationName(APP).deploymentGroupName("agent").revision(rev("v1"))
                .deploymentConfigName("CodeDeployDefault.AllAtOnce")).deploymentId();
        DeploymentInfo ok = await(cd, good);
        assertThat(ok.status()).as("%s", ok.errorInformation()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(cd.listDeploymentTargets(b -> b.deploymentId(good)).targetIds()).containsExactly(withAgent);
        InstanceTarget t = cd.getDeploymentTarget(b -> b.deploymentId(good).targetId(withAgent)).deploymentTarget().instanceTarget();
        assertThat(t.lifecycleEvents()).extracting(LifecycleEvent::lifecycleEventName).containsExactly("ApplicationStop", "DownloadBundle",
                "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService");
        assertThat(t.lifecycleEvents().getLast().diagnostics().errorCodeAsString()).isEqualTo("Success");

        // StopDeployment: the event under way ends, the rest are skipped, the deployment is Stopped; a second stop is refused
        upload(s3, "v2", revision("v2", "sleep 3000"));
        String slow = cd.createDeployment(b -> b.applicationName(APP).deploymentGroupName("agent").revision(rev("v2"))).deploymentId();
        Instant inProgress = Instant.now().plusSeconds(60);
        while (cd.getDeployment(b -> b.deploymentId(slow)).deploymentInfo().status() != DeploymentStatus.IN_PROGRESS) {
            assertThat(Instant.now()).isBefore(inProgress);
            Thread.sleep(50);
        }
        assertThat(cd.stopDeployment(b -> b.deploymentId(slow)).statusAsString()).isEqualTo("Pending");
        assertThat(await(cd, slow).status()).isEqualTo(DeploymentStatus.STOPPED);
        assertThat(cd.getDeploymentTarget(b -> b.deploymentId(slow).targetId(withAgent)).deploymentTarget().instanceTarget()
                .lifecycleEvents().getLast().statusAsString()).isEqualTo("Skipped");
        assertThatThrownBy(() -> cd.stopDeployment(b -> b.deploymentId(slow))).isInstanceOf(DeploymentAlreadyCompletedException.class);

        // no agent: the events wait for it for an hour (AWS time), then the instance fails as CodeDeploy reports it
        String lost = cd.createDeployment(b -> b.applicationName(APP).deploymentGroupName("none").revision(rev("v1"))).deploymentId();
        DeploymentInfo l = await(cd, lost);
        assertThat(l.status()).isEqualTo(DeploymentStatus.FAILED);
        InstanceTarget n = cd.getDeploymentTarget(b -> b.deploymentId(lost).targetId(withoutAgent)).deploymentTarget().instanceTarget();
        assertThat(n.statusAsString()).isEqualTo("Failed");
        LifecycleEvent first = n.lifecycleEvents().getFirst();
        assertThat(first.statusAsString()).isEqualTo("Failed");
        assertThat(first.diagnostics().errorCodeAsString()).isEqualTo("UnknownError");
        assertThat(first.diagnostics().message()).startsWith("CodeDeploy agent was not able to receive the lifecycle event.");
        assertThat(n.lifecycleEvents().subList(1, n.lifecycleEvents().size())).extracting(LifecycleEvent::statusAsString).containsOnly("Skipped");
    }

    @Test
    void aStepFunctionsWorkflow_createsAnAppAndGroup_startsADeployment_andFollowsItToSucceeded(
            LocalCloud cloud, SfnClient sfn, Ec2Client ec2, S3Client s3, IamClient iam) throws Exception {
        this.cloud = cloud;
        ServiceRoles.create(cloud, "codedeploy");
        this.previousMode = LoadBalancers.of(cloud).healthFromChecks();
        s3.createBucket(b -> b.bucket(BUCKET));
        upload(s3, "v1", revision("v1", "grep -q v1 /var/lib/tomcat9/webapps/ROOT/version.txt"));
        String image = ec2.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
        String instance = launch(ec2, image, USER_DATA, "web");
        String asl = """
                {"StartAt": "App",
                 "States": {
                  "App": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:codedeploy:createApplication",
                          "Parameters": {"ApplicationName": "site"}, "ResultPath": null, "Next": "Group"},
                  "Group": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:codedeploy:createDeploymentGroup",
                          "Parameters": {"ApplicationName": "site", "DeploymentGroupName": "web",
                                         "ServiceRoleArn": "arn:aws:iam::123456789012:role/codedeploy",
                                         "Ec2TagFilters": [{"Key": "role", "Value": "web", "Type": "KEY_AND_VALUE"}]},
                          "ResultPath": null, "Next": "Deploy"},
                  "Deploy": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:codedeploy:createDeployment",
                          "Parameters": {"ApplicationName": "site", "DeploymentGroupName": "web",
                                         "Revision": {"RevisionType": "S3", "S3Location": {"Bucket": "site-revisions", "Key": "v1.zip", "BundleType": "zip"}}},
                          "ResultPath": "$.created", "Next": "Wait"},
                  "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Get"},
                  "Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:codedeploy:getDeployment",
                          "Parameters": {"DeploymentId.$": "$.created.DeploymentId"}, "ResultPath": "$.got", "Next": "Done?"},
                  "Done?": {"Type": "Choice", "Default": "Wait", "Choices": [
                          {"Variable": "$.got.DeploymentInfo.Status", "StringEquals": "Succeeded", "Next": "Deployed"},
                          {"Variable": "$.got.DeploymentInfo.Status", "StringEquals": "Failed", "Next": "Broken"}]},
                  "Deployed": {"Type": "Pass", "Parameters": {"deploymentId.$": "$.created.DeploymentId"}, "End": true},
                  "Broken": {"Type": "Fail", "Error": "DeploymentFailed"}}}""";
        // the Tasks' CodeDeploy calls are made as the state machine's role: it gets exactly what the workflow asks
        // (SAR: CreateApplication on the application, the group's calls on the deployment group, GetDeployment on the
        // deployment's group; passing the service role to CodeDeploy)
        String account = LocalCloud.ACCOUNT_ID, prefix = "arn:aws:codedeploy:" + LocalCloud.REGION + ":" + account + ":";
        String role = TestRoles.statesRoleAllowing(iam, "deploy-site",
                "{\"Effect\":\"Allow\",\"Action\":\"codedeploy:CreateApplication\",\"Resource\":\"" + prefix + "application:site\"}",
                "{\"Effect\":\"Allow\",\"Action\":[\"codedeploy:CreateDeploymentGroup\",\"codedeploy:CreateDeployment\",\"codedeploy:GetDeployment\"],"
                        + "\"Resource\":\"" + prefix + "deploymentgroup:site/web\"}",
                "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"arn:aws:iam::" + account + ":role/codedeploy\","
                        + "\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"codedeploy.amazonaws.com\"}}}");
        String machine = sfn.createStateMachine(b -> b.name("deploy-site").definition(asl).roleArn(role)).stateMachineArn();
        String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
        Instant deadline = Instant.now().plusSeconds(180);
        DescribeExecutionResponse e;
        while ((e = sfn.describeExecution(b -> b.executionArn(execution))).status() == ExecutionStatus.RUNNING) {
            assertThat(Instant.now()).as("workflow still running").isBefore(deadline);
            Thread.sleep(200);
        }
        assertThat(e.status()).as("%s %s", e.error(), e.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        String deploymentId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.output()).path("deploymentId").asText();
        CodeDeployClient cd = cloud.client(CodeDeployClient.class);
        assertThat(cd.getDeployment(b -> b.deploymentId(deploymentId)).deploymentInfo().status()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(cd.listDeploymentTargets(b -> b.deploymentId(deploymentId)).targetIds()).containsExactly(instance);
        // the Tasks' calls were judged as the state machine's role, not passed as moto's operator keys
        String uses = HTTP.send(HttpRequest.newBuilder(cloud.endpoint().resolve("/_local/iam")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> decisions = new java.util.ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(uses).path("uses").forEach(u -> {
            if (u.path("role").asText().equals("deploy-site")) {
                decisions.add(u.path("action").asText() + " " + u.path("resource").asText() + " " + u.path("decision").asText());
            }
        });
        assertThat(decisions).contains(
                "codedeploy:CreateApplication " + prefix + "application:site ALLOW",
                "codedeploy:CreateDeploymentGroup " + prefix + "deploymentgroup:site/web ALLOW",
                "iam:PassRole arn:aws:iam::" + account + ":role/codedeploy ALLOW",
                "codedeploy:CreateDeployment " + prefix + "deploymentgroup:site/web ALLOW",
                "codedeploy:GetDeployment " + prefix + "deploymentgroup:site/web ALLOW");
    }

    @Test
    void aWorkflowsCodeDeployCall_isMadeAsItsRole_andFailsTheTaskWhenTheRoleMayNot(LocalCloud cloud, SfnClient sfn, IamClient iam)
            throws Exception {
        String asl = """
                {"StartAt": "App",
                 "States": {"App": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:codedeploy:createApplication",
                                    "Parameters": {"ApplicationName": "not-mine"}, "End": true}}}""";
        // the role may create one application, not this one
        String role = TestRoles.statesRoleAllowing(iam, "deploy-other", "{\"Effect\":\"Allow\",\"Action\":\"codedeploy:CreateApplication\","
                + "\"Resource\":\"arn:aws:codedeploy:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":application:site\"}");
        String machine = sfn.createStateMachine(b -> b.name("deploy-other").definition(asl).roleArn(role)).stateMachineArn();
        String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
        Instant deadline = Instant.now().plusSeconds(60);
        DescribeExecutionResponse e;
        while ((e = sfn.describeExecution(b -> b.executionArn(execution))).status() == ExecutionStatus.RUNNING) {
            assertThat(Instant.now()).as("workflow still running").isBefore(deadline);
            Thread.sleep(100);
        }
        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        // "ServiceName.ErrorName" (Step Functions developer guide, AWS SDK integrations)
        assertThat(e.error()).isEqualTo("CodeDeploy.AccessDeniedException");
        assertThat(e.cause()).contains("assumed-role/deploy-other/", "is not authorized to perform: codedeploy:CreateApplication on resource: "
                + "arn:aws:codedeploy:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":application:not-mine");
        assertThat(cloud.client(CodeDeployClient.class).listApplications().applications()).doesNotContain("not-mine");
    }

    private static String launch(Ec2Client ec2, String image, String userData, String role) {
        return ec2.runInstances(b -> b.imageId(image).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1)
                .userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)))
                .tagSpecifications(ts -> ts.resourceType("instance").tags(tag -> tag.key("role").value(role))))
                .instances().getFirst().instanceId();
    }

    // ---- fixtures

    private static RevisionLocation rev(String v) {
        return RevisionLocation.builder().revisionType("S3").s3Location(s -> s.bucket(BUCKET).key(v + ".zip").bundleType("zip")).build();
    }

    private static Map<String, String> revision(String version, String validate) {
        return Map.of(
                "appspec.yml", """
                        version: 0.0
                        os: linux
                        files:
                          - source: site
                            destination: /var/lib/tomcat9/webapps/ROOT
                        hooks:
                          ApplicationStop:
                            - location: scripts/stop.sh
                              timeout: 60
                          ApplicationStart:
                            - location: scripts/start.sh
                              timeout: 120
                          ValidateService:
                            - location: scripts/validate.sh
                              timeout: 60
                        """,
                "site/version.txt", version + "\n",
                "scripts/stop.sh", "#!/bin/bash\nsystemctl stop tomcat9\n",
                // restart: on a first deployment ApplicationStop has no earlier revision to run (the agent's rule), so the
                // Tomcat of the image still runs and would serve its cached v0 for a few seconds
                "scripts/start.sh", "#!/bin/bash\nsystemctl restart tomcat9\n",
                "scripts/validate.sh", "#!/bin/bash\n" + validate + "\n");
    }

    private static void upload(S3Client s3, String version, Map<String, String> files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        s3.putObject(b -> b.bucket(BUCKET).key(version + ".zip"), RequestBody.fromBytes(bytes.toByteArray()));
    }

    private static String givenFleet(Ec2Client ec2, AutoScalingClient asg, ElasticLoadBalancingV2Client elb) {
        String vpc = ec2.describeVpcs(b -> b.filters(f("isDefault", "true"))).vpcs().getFirst().vpcId();
        List<String> subnets = ec2.describeSubnets(b -> b.filters(f("vpc-id", vpc))).subnets().stream().map(s -> s.subnetId()).limit(2).toList();
        String image = ec2.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
        String lt = ec2.createLaunchTemplate(b -> b.launchTemplateName("site-template").launchTemplateData(d -> d.imageId(image)
                .instanceType(InstanceType.T3_MICRO)
                .userData(Base64.getEncoder().encodeToString(USER_DATA.getBytes(StandardCharsets.UTF_8))))).launchTemplate().launchTemplateId();
        String tg = elb.createTargetGroup(b -> b.name("site-tg").protocol(ProtocolEnum.HTTP).port(8080).vpcId(vpc)
                .targetType(TargetTypeEnum.INSTANCE).healthCheckPath("/version.txt").healthyThresholdCount(2).unhealthyThresholdCount(2))
                .targetGroups().getFirst().targetGroupArn();
        String lb = elb.createLoadBalancer(b -> b.name("site-alb").type(LoadBalancerTypeEnum.APPLICATION).subnets(subnets))
                .loadBalancers().getFirst().loadBalancerArn();
        elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg)));
        asg.createAutoScalingGroup(b -> b.autoScalingGroupName(ASG).minSize(1).maxSize(4).desiredCapacity(2)
                .launchTemplate(l -> l.launchTemplateId(lt).version("1")).vpcZoneIdentifier(subnets.getFirst()).targetGroupARNs(tg));
        return tg;
    }

    private static Filter f(String name, String value) { return Filter.builder().name(name).values(value).build(); }

    private String site() throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(
                cloud.endpoint().resolve("/_local/sites")).build(), HttpResponse.BodyHandlers.ofString()).body()).get(0).path("url").asText()
                + "version.txt";
    }

    private static void awaitHealthy(ElasticLoadBalancingV2Client elb, String tg, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            List<TargetHealthDescription> h = elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions();
            if (h.size() == count && h.stream().allMatch(x -> "healthy".equals(x.targetHealth().stateAsString()))) return;
            assertThat(Instant.now()).as("targets %s", h).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static Set<String> served(String url, int requests) throws Exception {
        Set<String> out = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("site answer: %s", r.body()).isEqualTo(200);
            out.add(r.body().trim());
        }
        return out;
    }

    private static DeploymentInfo await(CodeDeployClient cd, String id) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(240);
        while (true) {
            DeploymentInfo d = cd.getDeployment(b -> b.deploymentId(id)).deploymentInfo();
            if (Set.of(DeploymentStatus.SUCCEEDED, DeploymentStatus.FAILED, DeploymentStatus.STOPPED).contains(d.status())) return d;
            assertThat(Instant.now()).as("deployment %s still %s", id, d.status()).isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
