package dev.pipeline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.release.DeployTables;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.provision.LandingZone;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the deploy bookkeeping stages run against in a test: the function environment, a stand-in state machine, an inbox. */
public final class DeployFixture {
    public static final String ENV = "vprofile";

    private DeployFixture() {}

    /** The environment template.yaml gives the deploy functions, pointed at the local cloud. */
    public static Map<String, String> env(LocalCloud cloud) {
        Map<String, String> env = new HashMap<>(LocalCloud.functionEnvironment(cloud.endpoint()));
        env.put("ENVIRONMENT_NAME", ENV);
        env.put("RELEASES_TABLE", DeployTables.RELEASES);
        env.put("LOCK_TABLE", DeployTables.LOCK);
        return env;
    }

    /**
     * As {@link #env(LocalCloud)}, calling AWS as function {@code logicalId}'s execution role with the policies
     * template.yaml gives it, so the local cloud refuses what AWS would refuse the deployed function.
     */
    public static Map<String, String> env(LocalCloud cloud, String logicalId) {
        return LandingZone.asRole(env(cloud), cloud, logicalId, Map.of());
    }

    /** A one-state (Pass) state machine standing in for the deploy workflow: executions of it record their input. */
    public static String passStateMachine(SfnClient sfn, String name) {
        return sfn.createStateMachine(b -> b.name(name).roleArn("arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/deploy")
                .definition("{\"StartAt\":\"Deploy\",\"States\":{\"Deploy\":{\"Type\":\"Pass\",\"End\":true}}}")).stateMachineArn();
    }

    /** An SQS queue subscribed (raw delivery) to the topic, so a test reads what was published. */
    public static String inbox(SnsClient sns, SqsClient sqs, String topicArn) {
        String queue = sqs.createQueue(b -> b.queueName("inbox-" + System.nanoTime())).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(arn).attributes(Map.of("RawMessageDelivery", "false")));
        return queue;
    }

    /** Every SNS notification in the inbox as {Subject, Message}; empties it. */
    public static List<JsonNode> drain(SqsClient sqs, String queue) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            var got = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (got.isEmpty()) return out;
            got.forEach(m -> out.add(json(m.body())));
            sqs.deleteMessageBatch(b -> b.queueUrl(queue).entries(got.stream().map(m -> DeleteMessageBatchRequestEntry.builder()
                    .id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
        }
    }

    /** A deploy workflow state as Prepare leaves it for an upload of {@code key}. */
    public static ObjectNode uploadState(String id, String key, String versionId, Instant uploadedAt) {
        ObjectNode s = JsonHandler.JSON.createObjectNode();
        s.put("mode", "upload");
        s.putObject("upload").put("id", id).put("bucket", ENV + "-artifacts").put("key", key).put("versionId", versionId)
                .put("uploadedAt", uploadedAt.toString());
        s.putNull("rollbackTo");
        s.putObject("run").put("token", id).put("pollSeconds", 1).put("startedAt", uploadedAt.plusMillis(300).toString())
                .put("timeoutSeconds", 600);
        return s;
    }

    public static JsonNode json(String text) {
        try {
            return JsonHandler.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
