package dev.pipeline.deploy.bake;

import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.image.ImageGateway;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the bake stages need beyond the provisioning gateways they reuse ({@link ImageGateway},
 * {@code InstanceGateway}, {@code SecurityGroupGateway}): SSM Run Command on the builder, snapshots and images by
 * release tag, and which AMIs launch template versions still reference. The only bake class importing SDK types.
 */
public class BakeGateway {
    /** How long SSM may take to deliver the command to the builder's agent before it is TimedOut. */
    static final int DELIVERY_TIMEOUT_SECONDS = 600;
    /** SSM's limit on a command's comment. */
    private static final int MAX_COMMENT = 100;

    private final Ec2Client ec2;
    private final SsmClient ssm;
    private final ImageGateway images;

    public BakeGateway(Ec2Client ec2, SsmClient ssm) {
        this.ec2 = ec2;
        this.ssm = ssm;
        this.images = new ImageGateway(ec2);
    }

    /** The image stages' gateway over the same client. */
    public ImageGateway images() { return images; }

    /**
     * CreateImage of the builder, with the image's tags set at creation. NoReboot=false: EC2 shuts the builder down
     * cleanly before the snapshot, so the file system is consistent and pipeline-config.service scrubs the
     * application's passwords from disk on the way down. A refusal that a retry will not fix fails the stage
     * naming the builder (CleanupBake then terminates it).
     */
    ImageGateway.Creation createImage(String builderId, String name, String description, Map<String, String> tags,
                                      Map<String, String> snapshotTags) {
        try {
            return images.createImage(builderId, name, description, tags, snapshotTags);
        } catch (AwsServiceException e) {
            RuntimeException translated = JsonHandler.translate(e);
            if (translated instanceof StageFailedException) {
                throw new StageFailedException("EC2 refused to image the builder " + builderId + " (" + translated.getMessage()
                        + "); the release was not baked", e);
            }
            throw translated;
        }
    }

    /** Snapshots tagged with the environment and the release (an earlier call's images, deregistered since). */
    List<String> snapshotsOfRelease(String environment, String releaseId) {
        List<String> ids = new ArrayList<>();
        // Always by tag: moto ignores OwnerIds (local/README.md), and AWS needs no owner with a tag filter either.
        ec2.describeSnapshotsPaginator(b -> b.ownerIds("self").filters(
                        tag(dev.pipeline.spec.EnvironmentSpec.TAG_ENVIRONMENT, environment), tag(ReleaseTags.RELEASE, releaseId)))
                .snapshots().forEach(s -> ids.add(s.snapshotId()));
        return ids;
    }

    /**
     * Every AMI that some version of some launch template of this account and region launches. Releases reuse
     * AMIs and a failed deploy's AMI can already be in a new version of the group's template, so deleting an AMI
     * any version names would break a later launch or rollback from that version.
     */
    Set<String> imagesInLaunchTemplates() {
        Set<String> out = new LinkedHashSet<>();
        ec2.describeLaunchTemplatesPaginator(b -> b.maxResults(200)).launchTemplates().forEach(t ->
                ec2.describeLaunchTemplateVersionsPaginator(b -> b.launchTemplateId(t.launchTemplateId()))
                        .launchTemplateVersions().forEach(v -> {
                            if (v.launchTemplateData() != null && v.launchTemplateData().imageId() != null) {
                                out.add(v.launchTemplateData().imageId());
                            }
                        }));
        return out;
    }

    /** The newest AWS-RunShellScript command sent to the instance, if any: a builder gets one, from this stage. */
    Optional<String> commandOn(String instanceId) {
        List<Command> commands = new ArrayList<>();
        ssm.listCommandsPaginator(b -> b.instanceId(instanceId)).commands().forEach(commands::add);
        return commands.stream()
                .filter(c -> BakeCommand.DOCUMENT.equals(c.documentName()))
                .max(Comparator.comparing((Command c) -> c.requestedDateTime() == null ? Instant.EPOCH : c.requestedDateTime())
                        .thenComparing(Command::commandId))
                .map(Command::commandId);
    }

    /**
     * Sends the script to the builder; empty while its SSM agent has not registered yet (AWS answers
     * InvalidInstanceId for an instance that is not "in a valid state" for Run Command).
     */
    Optional<String> send(String instanceId, List<String> lines, String comment) {
        try {
            return Optional.of(ssm.sendCommand(b -> b.documentName(BakeCommand.DOCUMENT).instanceIds(instanceId)
                    .comment(comment.length() > MAX_COMMENT ? comment.substring(0, MAX_COMMENT) : comment)
                    .timeoutSeconds(DELIVERY_TIMEOUT_SECONDS)
                    .parameters(Map.of("commands", lines,
                            "executionTimeout", List.of(Integer.toString(BakeCommand.EXECUTION_TIMEOUT_SECONDS)))))
                    .command().commandId());
        } catch (InvalidInstanceIdException e) {
            return Optional.empty();
        }
    }

    /** How the command went on the instance; empty until SSM has created the invocation. */
    Optional<Invocation> invocation(String commandId, String instanceId) {
        try {
            GetCommandInvocationResponse r = ssm.getCommandInvocation(b -> b.commandId(commandId).instanceId(instanceId));
            return Optional.of(new Invocation(r.statusAsString(), r.statusDetails(), r.responseCode(),
                    Objects.requireNonNullElse(r.standardOutputContent(), ""),
                    Objects.requireNonNullElse(r.standardErrorContent(), "")));
        } catch (InvocationDoesNotExistException e) {
            return Optional.empty();
        }
    }

    private static Filter tag(String key, String value) {
        return Filter.builder().name("tag:" + key).values(value).build();
    }
}
