package dev.pipeline.deploy.bake;

import dev.pipeline.deploy.release.ReleaseIds;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.provision.image.ImageGateway;
import dev.pipeline.provision.image.ImageView;
import dev.pipeline.provision.instances.Ec2Instance;
import dev.pipeline.provision.instances.InstanceGateway;
import dev.pipeline.provision.instances.InstancePlan;
import dev.pipeline.provision.instances.LaunchSpec;
import dev.pipeline.provision.network.ExistingGroups;
import dev.pipeline.provision.network.SecurityGroupGateway;
import dev.pipeline.provision.network.SecurityGroupLayout;
import dev.pipeline.spec.AmiRef;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * BakeRelease: an AMI with exactly the validated WAR on the environment's golden image. Each call looks before it
 * acts, so the wait loop (ready=false → Wait → again) and Lambda retries never bake twice:
 * <ol>
 *   <li>this release's image (tag {@code pipeline:release}) exists: wait for it; once available
 *       terminate the builder and answer ready; failed: deregister it and fail;</li>
 *   <li>an earlier release's available image of the same sha256 on the same golden AMI exists: reuse it, no builder;</li>
 *   <li>otherwise the builder (tags {@code pipeline:component=builder}, {@code pipeline:release}; one per release,
 *       launched with a ClientToken): launch it, wait until it runs, send it the install command once (SSM Run
 *       Command), follow the command, and when it succeeded CreateImage.</li>
 * </ol>
 * A failure leaves the builder to CleanupBake, which the workflow runs on every failure after the lock.
 */
public class BakeReleaseService {
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private final BakeGateway gateway;
    private final ImageGateway images;
    private final InstanceGateway instances;
    private final SecurityGroupGateway groups;
    private final String instanceProfile;

    /**
     * How long a running builder may stay unknown to Systems Manager before the bake gives up. AWS: the agent
     * registers within minutes when the instance can reach the Systems Manager endpoints and has an instance profile
     * with the permissions of AmazonSSMManagedInstanceCore
     * (https://docs.aws.amazon.com/systems-manager/latest/userguide/troubleshooting-managed-nodes.html); otherwise
     * it never does, and waiting the whole run's deadline tells nobody why.
     */
    static final java.time.Duration SSM_REGISTRATION_LIMIT = java.time.Duration.ofMinutes(10);

    private java.time.Clock clock = java.time.Clock.systemUTC();

    /** The same service on another clock (tests: a builder that has waited past the registration limit). */
    public BakeReleaseService withClock(java.time.Clock clock) {
        this.clock = clock;
        return this;
    }

    public BakeReleaseService(BakeGateway gateway, InstanceGateway instances, SecurityGroupGateway groups, String instanceProfile) {
        this.gateway = gateway;
        this.images = gateway.images();
        this.instances = instances;
        this.groups = groups;
        this.instanceProfile = instanceProfile;
    }

    /** What this run bakes: the release and the exact object version ValidateArtifact checked. */
    private record Target(EnvironmentSpec spec, Run run, String releaseId, String bucket, String key, String versionId,
                          String sha256) {
        String env() { return spec.name(); }
    }

    public BakeReleaseOutput bake(BakeReleaseInput in) {
        Target t = target(in);
        BakeReleaseOutput previous = in.release() != null && t.releaseId().equals(in.release().releaseId()) ? in.release() : null;
        List<ImageView> releaseImages = images.imagesTagged(t.env(), ReleaseTags.RELEASE_AMI);

        Optional<ImageView> own = ReleaseImages.own(releaseImages, t.releaseId());
        if (own.isPresent()) return imaged(t, own.get(), previous);

        String base = previous != null && previous.baseImageId() != null ? previous.baseImageId() : golden(t).id();
        Optional<ImageView> reuse = ReleaseImages.reusable(releaseImages, t.sha256(), base);
        if (reuse.isPresent()) {
            ImageView image = reuse.get();
            return new BakeReleaseOutput(true, t.releaseId(), image.id(), base, null, null, BakeReleaseOutput.REUSED, true,
                    "reused " + image.id() + " (release " + image.tags().get(ReleaseTags.RELEASE) + "): it already has sha256 "
                            + t.sha256() + " on the golden image " + base + "; nothing baked");
        }
        return build(t, base, previous);
    }

    /** This release's image exists: wait for it, finish with it, or fail on it. */
    private BakeReleaseOutput imaged(Target t, ImageView image, BakeReleaseOutput previous) {
        String base = image.tags().get(ReleaseTags.BASE_AMI);
        String commandId = previous == null ? null : previous.commandId();
        if ("available".equals(image.state())) {
            List<String> builders = liveBuilders(t).stream().map(Ec2Instance::instanceId).toList();
            if (!builders.isEmpty()) instances.terminate(builders);
            String builder = !builders.isEmpty() ? builders.getFirst() : previous == null ? null : previous.builderInstanceId();
            return new BakeReleaseOutput(true, t.releaseId(), image.id(), base, builder, commandId, BakeReleaseOutput.READY, false,
                    "baked " + image.id() + " (" + image.name() + ") with " + t.key() + " on " + base
                            + (builders.isEmpty() ? "" : "; terminated the builder " + String.join(", ", builders)));
        }
        if (ReleaseImages.WAITING.contains(image.state())) {
            t.run().checkDeadline("the release image " + image.id());
            return new BakeReleaseOutput(false, t.releaseId(), image.id(), base,
                    previous == null ? null : previous.builderInstanceId(), commandId, BakeReleaseOutput.IMAGING, false,
                    "waiting for the release image " + image.id() + " (" + image.state() + ")");
        }
        images.deregister(image.id());
        // Once the image is gone only their tags would find its snapshots (tagged at creation): delete them here. One still in use waits for CleanupBake or PruneImages.
        List<String> left = image.snapshotIds().stream()
                .filter(s -> images.deleteSnapshot(s) == ImageGateway.SnapshotDeletion.IN_USE).toList();
        throw new StageFailedException("the release image " + image.id() + " (" + image.name() + ") of release "
                + t.releaseId() + " failed" + (image.stateReason() == null ? "" : ": " + image.stateReason())
                + "; it has been deregistered" + (left.isEmpty() ? " with its snapshots" : " (snapshots " + String.join(", ", left)
                + " are still in use)") + ", and CleanupBake terminates the builder; upload the WAR again to retry");
    }

    /** No image yet: the builder, its install command, then CreateImage. */
    private BakeReleaseOutput build(Target t, String base, BakeReleaseOutput previous) {
        List<Ec2Instance> builders = instances.findByEnvironment(t.env(), List.of(ReleaseTags.BUILDER),
                Map.of(ReleaseTags.RELEASE, t.releaseId()));
        return switch (InstancePlan.decide(ReleaseTags.BUILDER, builders)) {
            case InstancePlan.Launch(String purpose) -> {
                Ec2Instance launched = instances.launch(launchSpec(t, base, t.run().tokenFor("release-builder:" + purpose)));
                yield waiting(t, base, launched.instanceId(), null, BakeReleaseOutput.LAUNCHING,
                        "launched the builder " + launched.instanceId() + " from the golden image " + base);
            }
            case InstancePlan.Start(Ec2Instance i) -> {
                // Stopped by someone: the bake needs it running, and its disk holds nothing we must keep.
                instances.start(i.instanceId());
                yield waiting(t, base, i.instanceId(), null, BakeReleaseOutput.LAUNCHING, "started the stopped builder " + i.instanceId());
            }
            case InstancePlan.AwaitStopped(Ec2Instance i) -> waiting(t, base, i.instanceId(), null, BakeReleaseOutput.LAUNCHING,
                    "the builder " + i.instanceId() + " is stopping; it is started once stopped");
            case InstancePlan.Keep(Ec2Instance i) -> "running".equals(i.state())
                    ? install(t, base, i)
                    : waiting(t, base, i.instanceId(), null, BakeReleaseOutput.LAUNCHING, "the builder " + i.instanceId() + " is " + i.state());
        };
    }

    /** The builder runs: send the install command once, follow it, and image the builder when it succeeded. */
    private BakeReleaseOutput install(Target t, String base, Ec2Instance instance) {
        String builder = instance.instanceId();
        Optional<String> sent = gateway.commandOn(builder);
        if (sent.isEmpty()) {
            List<String> lines = BakeCommand.lines(t.bucket(), t.key(), t.versionId(), t.sha256(),
                    t.spec().loadBalancer().healthCheck(), Role.APP.port(), t.releaseId());
            Optional<String> commandId = gateway.send(builder, lines, "war-pipeline bake of release " + t.releaseId());
            if (commandId.isEmpty() && instance.launchTime() != null
                    && clock.instant().isAfter(instance.launchTime().plus(SSM_REGISTRATION_LIMIT))) {
                throw new StageFailedException("the builder " + builder + " has not registered with Systems Manager "
                        + java.time.Duration.between(instance.launchTime(), clock.instant()).toMinutes() + " min after it launched"
                        + " (limit " + SSM_REGISTRATION_LIMIT.toMinutes() + " min), so the install command cannot reach it. Likely"
                        + " causes: its subnet has no route to Systems Manager (no NAT gateway, and no VPC endpoints for ssm,"
                        + " ssmmessages and ec2messages); it has no instance profile"
                        + (instanceProfile == null ? " (none was configured)" : " (" + instanceProfile + " must exist and allow"
                        + " AmazonSSMManagedInstanceCore's actions)") + "; or the golden image does not run the SSM agent."
                        + " CleanupBake terminates the builder");
            }
            return commandId
                    .map(id -> waiting(t, base, builder, id, BakeReleaseOutput.INSTALLING,
                            "sent the install command " + id + " to the builder " + builder))
                    .orElseGet(() -> waiting(t, base, builder, null, BakeReleaseOutput.INSTALLING,
                            "waiting for the SSM agent of the builder " + builder + " to register"));
        }
        String commandId = sent.get();
        Optional<Invocation> invocation = gateway.invocation(commandId, builder);
        if (invocation.isEmpty() || invocation.get().running()) {
            return waiting(t, base, builder, commandId, BakeReleaseOutput.INSTALLING, "installing " + t.key() + " on the builder "
                    + builder + " (command " + commandId + ": " + invocation.map(Invocation::status).orElse("not started") + ")");
        }
        Invocation done = invocation.get();
        if (!done.succeeded()) {
            throw new StageFailedException("installing " + t.key() + " (version " + t.versionId() + ", sha256 " + t.sha256()
                    + ") on the builder " + builder + " ended " + done.status()
                    + (done.statusDetails() == null || done.statusDetails().equals(done.status()) ? "" : " (" + done.statusDetails() + ")")
                    + (done.responseCode() == null || done.responseCode() < 0 ? "" : " with exit code " + done.responseCode())
                    + " (SSM command " + commandId + "): " + done.outputTail()
                    + "; CleanupBake terminates the builder");
        }
        String name = ReleaseImages.name(t.env(), t.sha256(), t.releaseId());
        String imageId = switch (gateway.createImage(builder, name, "war-pipeline release " + t.releaseId() + " of "
                + t.env() + " (sha256 " + t.sha256() + ")", imageTags(t, base), snapshotTags(t))) {
            case ImageGateway.Created(String id) -> id;
            case ImageGateway.NameTaken() -> sameRelease(t, name);
        };
        return new BakeReleaseOutput(false, t.releaseId(), imageId, base, builder, commandId, BakeReleaseOutput.IMAGING, false,
                "the builder " + builder + " answers its health check; imaging it as " + imageId + " (" + name + ")");
    }

    /** CreateImage refused the name: a retried call of this release made the image first. Anyone else's is a conflict. */
    private String sameRelease(Target t, String name) {
        ImageView other = images.imageNamed(name).orElseThrow(() -> new dev.pipeline.functions.RetryableException(
                "image name " + name + " is taken but no such image is listed yet"));
        if (!t.releaseId().equals(other.tags().get(ReleaseTags.RELEASE))) {
            throw new StageFailedException("an image named " + name + " (" + other.id() + ") already exists but is not"
                    + " tagged " + ReleaseTags.RELEASE + "=" + t.releaseId() + "; deregister or rename it, then deploy again");
        }
        return other.id();
    }

    private BakeReleaseOutput waiting(Target t, String base, String builder, String commandId, String phase, String summary) {
        t.run().checkDeadline("the bake of release " + t.releaseId() + " (" + phase + ")");
        return new BakeReleaseOutput(false, t.releaseId(), null, base, builder, commandId, phase, false, summary);
    }

    private ImageView golden(Target t) {
        return ReleaseImages.golden(images.imagesTagged(t.env(), ReleaseTags.GOLDEN_AMI)).orElseThrow(() ->
                new StageFailedException("environment " + t.env() + " has no available golden image (an AMI tagged "
                        + EnvironmentSpec.TAG_ENVIRONMENT + "=" + t.env() + ", " + EnvironmentSpec.TAG_COMPONENT + "="
                        + ReleaseTags.GOLDEN_AMI + "); run the provisioning workflow first"));
    }

    private LaunchSpec launchSpec(Target t, String base, String token) {
        EnvironmentSpec spec = t.spec();
        Map<String, String> tags = new LinkedHashMap<>(spec.tags(ReleaseTags.BUILDER));
        tags.put("Name", spec.resourceName(ReleaseTags.BUILDER));
        tags.put(ReleaseTags.RELEASE, t.releaseId());
        // No user data: the golden image boots as every app server does (pipeline-config fetches the application's
        // settings, Tomcat starts with the bootstrap WAR); the release is installed by the command.
        return new LaunchSpec(ReleaseTags.BUILDER, instances.resolveImage(AmiRef.of(base), "the release builder"),
                spec.instance(Role.APP).instanceType(), spec.network().appSubnets().getFirst(), appSecurityGroup(spec),
                instanceProfile, null, tags, token);
    }

    /** The app servers' group, found by its tags as provisioning left it, so the builder reaches what they reach. */
    private String appSecurityGroup(EnvironmentSpec spec) {
        String vpc = spec.network().vpcId();
        String name = spec.resourceName(SecurityGroupLayout.APP);
        return new ExistingGroups(spec.name(), vpc, groups.inVpc(vpc, spec.name(), List.of(name)))
                .idOf(SecurityGroupLayout.APP, name)
                .orElseThrow(() -> new StageFailedException("the app security group " + name + " of " + spec.name()
                        + " does not exist in " + vpc + "; run the provisioning workflow first"));
    }

    private List<Ec2Instance> liveBuilders(Target t) {
        return instances.findByEnvironment(t.env(), List.of(ReleaseTags.BUILDER), Map.of(ReleaseTags.RELEASE, t.releaseId()))
                .stream().filter(Ec2Instance::exists).toList();
    }

    private static Map<String, String> imageTags(Target t, String base) {
        Map<String, String> tags = new LinkedHashMap<>(t.spec().tags(ReleaseTags.RELEASE_AMI));
        tags.put("Name", t.spec().resourceName(ReleaseTags.RELEASE_AMI));
        tags.put(ReleaseTags.RELEASE, t.releaseId());
        tags.put(ReleaseTags.ARTIFACT_SHA256, t.sha256());
        tags.put(ReleaseTags.ARTIFACT_KEY, ReleaseTags.value(t.key()));
        if (t.versionId() != null) tags.put(ReleaseTags.ARTIFACT_VERSION, t.versionId());
        tags.put(ReleaseTags.BASE_AMI, base);
        return tags;
    }

    private static Map<String, String> snapshotTags(Target t) {
        Map<String, String> tags = new LinkedHashMap<>(t.spec().tags(ReleaseTags.RELEASE_AMI));
        tags.put(ReleaseTags.RELEASE, t.releaseId());
        tags.put(ReleaseTags.ARTIFACT_SHA256, t.sha256());
        return tags;
    }

    private static Target target(BakeReleaseInput in) {
        EnvironmentSpec spec = StageInputs.spec(in.spec());
        Run run = StageInputs.run(in.run());
        var upload = StageInputs.require(in.upload(), "$.upload", "the deploy trigger");
        String releaseId = ReleaseIds.of(instant(StageInputs.require(upload.uploadedAt(), "$.upload.uploadedAt", "the deploy trigger")),
                StageInputs.require(upload.id(), "$.upload.id", "the deploy trigger"));
        var artifact = StageInputs.require(in.artifact(), "$.artifact", "ValidateArtifact");
        if (artifact.sha256() != null && !SHA256.matcher(artifact.sha256()).matches()) {
            throw new StageFailedException("$.artifact.sha256 must be 64 lowercase hex digits, got \"" + artifact.sha256() + "\"");
        }
        return new Target(spec, run, releaseId,
                StageInputs.require(artifact.bucket(), "$.artifact.bucket", "ValidateArtifact"),
                StageInputs.require(artifact.key(), "$.artifact.key", "ValidateArtifact"),
                artifact.versionId() == null || artifact.versionId().isBlank() ? null : artifact.versionId(),
                StageInputs.require(artifact.sha256(), "$.artifact.sha256", "ValidateArtifact"));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new StageFailedException("$.upload.uploadedAt must be an ISO-8601 instant, got \"" + text + "\"", e);
        }
    }
}
