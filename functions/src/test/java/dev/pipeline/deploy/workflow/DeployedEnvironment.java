package dev.pipeline.deploy.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseStore;
import dev.pipeline.deploy.trigger.ExecutionNames;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.junit.Executions;
import dev.pipeline.provision.LandingZone;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A provisioned environment with template.yaml deployed to the local cloud, as a user has it after {@code sam deploy}:
 * uploads under releases/ start the deploy workflow through the bucket's EventBridge rule. Notifications are read
 * from an SQS queue subscribed to the topic.
 */
final class DeployedEnvironment {
    static final String ENV = LandingZone.ENVIRONMENT;
    static final String KEY = "releases/app.war";
    static final int FLEET = 4;
    private static final Duration LIMIT = Duration.ofMinutes(4);

    final LocalCloud cloud;
    final LandingZone zone;
    final LocalDeployment.Deployed deployed;
    final String notificationQueue;

    private DeployedEnvironment(LocalCloud cloud, LandingZone zone, LocalDeployment.Deployed deployed, String queue) {
        this.cloud = cloud;
        this.zone = zone;
        this.deployed = deployed;
        this.notificationQueue = queue;
    }

    /** Deploys the template and provisions a {@value #FLEET}-instance fleet with no warm-up (the local cloud waits for real). */
    static DeployedEnvironment provision(LocalCloud cloud) throws IOException {
        return provision(cloud, spec -> { });
    }

    /** As {@link #provision(LocalCloud)}, with the spec changed by {@code edit} first. */
    static DeployedEnvironment provision(LocalCloud cloud, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        LandingZone zone = LandingZone.network(cloud);
        LocalDeployment.Deployed deployed = LocalDeployment.inProcess(cloud, SamTemplate.read(SamTemplate.locate(Path.of(""))))
                .deploy(ENV, Map.of("PollSeconds", "1"));
        ObjectNode spec = zone.spec();
        ((ObjectNode) spec.get("fleet")).put("min", 1).put("desired", FLEET).put("max", FLEET);
        ((ObjectNode) spec.get("deployment")).put("instanceWarmupSeconds", 0);
        edit.accept(spec);
        ObjectNode input = JsonHandler.JSON.createObjectNode();
        input.set("spec", spec);
        input.putObject("run").put("pollSeconds", 1).put("timeoutSeconds", 240);
        SfnClient sfn = cloud.client(SfnClient.class);
        String arn = sfn.startExecution(b -> b.stateMachineArn(deployed.stateMachineArn("ProvisionStateMachine"))
                .name("provision-" + UUID.randomUUID()).input(input.toString())).executionArn();
        DescribeExecutionResponse end = Executions.awaitEnd(sfn, arn, LIMIT);
        if (end.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("provisioning failed: " + end.error() + ": " + end.cause());
        }
        SqsClient sqs = cloud.client(SqsClient.class);
        String queueUrl = sqs.createQueue(b -> b.queueName("notifications-" + UUID.randomUUID())).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        cloud.client(software.amazon.awssdk.services.sns.SnsClient.class).subscribe(b -> b.topicArn(deployed.topicArn())
                .protocol("sqs").endpoint(queueArn).attributes(Map.of("RawMessageDelivery", "true")));
        return new DeployedEnvironment(cloud, zone, deployed, queueUrl);
    }

    /** Uploads a WAR as a user does (aws s3 cp); returns the new object version's id. */
    String upload(String key, byte[] war) {
        return cloud.client(S3Client.class).putObject(b -> b.bucket(deployed.bucket()).key(key), RequestBody.fromBytes(war)).versionId();
    }

    String deployMachineArn() { return deployed.stateMachineArn("DeployStateMachine"); }

    /** The site's URL (ending in /), as the CLI finds it: GET /_local/sites, which lists the one load balancer. */
    String siteUrl() throws IOException, InterruptedException {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(cloud.endpoint().resolve("/_local/sites"))
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        JsonNode sites = read(r.body());
        if (sites.size() != 1) throw new AssertionError("expected one site, got " + r.body());
        String url = sites.get(0).path("url").asText();
        return url.endsWith("/") ? url : url + "/";
    }

    String executionArn(String name) {
        return deployMachineArn().replace(":stateMachine:", ":execution:") + ":" + name;
    }

    /**
     * The deploy of one upload, followed to its end: the execution its event started and, when that one queued,
     * the execution the lock hand-off started for it.
     */
    DescribeExecutionResponse awaitDeploy(String key, String versionId) {
        String name = ExecutionNames.forUpload(key, versionId);
        DescribeExecutionResponse first = await(executionArn(name));
        JsonNode out = first.output() == null ? null : read(first.output());
        if (first.status() == ExecutionStatus.SUCCEEDED && out != null && "QUEUED".equals(out.path("lock").path("outcome").asText())) {
            awaitIdle();
            return describe(executionArn(ExecutionNames.resumed(name)));
        }
        return first;
    }

    /** Waits until no deploy execution is running (a hand-off starts the next one before the last ends). */
    List<ExecutionListItem> awaitIdle() {
        SfnClient sfn = cloud.client(SfnClient.class);
        Instant deadline = Instant.now().plus(LIMIT);
        while (true) {
            List<ExecutionListItem> all = new ArrayList<>();
            sfn.listExecutionsPaginator(b -> b.stateMachineArn(deployMachineArn())).executions().forEach(all::add);
            if (all.stream().noneMatch(e -> e.status() == ExecutionStatus.RUNNING)) return all;
            if (Instant.now().isAfter(deadline)) throw new AssertionError("deploys still running after " + LIMIT + ": " + all);
            sleep(200);
        }
    }

    private DescribeExecutionResponse await(String arn) {
        SfnClient sfn = cloud.client(SfnClient.class);
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                sfn.describeExecution(b -> b.executionArn(arn));
                return Executions.awaitEnd(sfn, arn, LIMIT);
            } catch (ExecutionDoesNotExistException e) {
                if (Instant.now().isAfter(deadline)) throw new AssertionError("no execution " + arn + " was started");
                sleep(100);
            }
        }
    }

    DescribeExecutionResponse describe(String arn) {
        return cloud.client(SfnClient.class).describeExecution(b -> b.executionArn(arn));
    }

    AutoScalingGroup group() {
        return cloud.client(AutoScalingClient.class).describeAutoScalingGroups(b -> b.autoScalingGroupNames(ENV + "-app"))
                .autoScalingGroups().getFirst();
    }

    /** instance id → AMI, for the group's in-service instances. */
    Map<String, String> fleetImages() {
        List<String> ids = group().instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString()))
                .map(i -> i.instanceId()).toList();
        Map<String, String> out = new TreeMap<>();
        if (ids.isEmpty()) return out;
        cloud.client(Ec2Client.class).describeInstances(b -> b.instanceIds(ids)).reservations()
                .forEach(r -> r.instances().forEach(i -> out.put(i.instanceId(), i.imageId())));
        return out;
    }

    long templateDefaultVersion() {
        return cloud.client(Ec2Client.class).describeLaunchTemplates(b -> b.launchTemplateNames(ENV + "-app"))
                .launchTemplates().getFirst().defaultVersionNumber();
    }

    long templateVersionCount() {
        return cloud.client(Ec2Client.class).describeLaunchTemplateVersions(b -> b.launchTemplateName(ENV + "-app"))
                .launchTemplateVersions().size();
    }

    /** This environment's images that are not deregistered, by id. */
    List<Image> images() {
        return cloud.client(Ec2Client.class).describeImages(b -> b.owners("self").filters(
                Filter.builder().name("tag:pipeline:environment").values(ENV).build())).images();
    }

    /** Instances tagged as builders that are not terminated. */
    List<String> liveBuilders() { return builders(true); }

    /** Builder instances: the live ones, or every one ever launched (EC2 lists terminated instances for a while). */
    List<String> builders(boolean liveOnly) {
        List<Filter> filters = new ArrayList<>(List.of(Filter.builder().name("tag:pipeline:component").values("builder").build()));
        if (liveOnly) filters.add(Filter.builder().name("instance-state-name").values("pending", "running", "stopping", "stopped").build());
        List<String> ids = new ArrayList<>();
        cloud.client(Ec2Client.class).describeInstances(b -> b.filters(filters))
                .reservations().forEach(r -> r.instances().forEach(i -> ids.add(i.instanceId())));
        return ids;
    }

    List<Release> releases() {
        return new ReleaseStore(cloud.client(DynamoDbClient.class), ENV + "-releases").list(ENV, 100);
    }

    /** The notifications published so far (raw SNS messages), oldest first. */
    List<String> notifications() {
        SqsClient sqs = cloud.client(SqsClient.class);
        List<String> out = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(notificationQueue).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) return out;
            batch.forEach(m -> {
                out.add(m.body());
                sqs.deleteMessage(b -> b.queueUrl(notificationQueue).receiptHandle(m.receiptHandle()));
            });
        }
    }

    static JsonNode read(String json) {
        try {
            return JsonHandler.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
