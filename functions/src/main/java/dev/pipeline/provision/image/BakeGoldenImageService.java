package dev.pipeline.provision.image;

import dev.pipeline.functions.RetryableException;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The golden AMI, made from app01. Identity: an image owned by this account tagged {@code pipeline:environment} and
 * {@code pipeline:component=golden-ami}; its name {@code <env>-golden-<app01 launch time>} is the bake key that
 * makes concurrent runs collide instead of baking twice. Each call finds the image first and makes one only when
 * there is none, so the wait loop (ready=false → Wait → again) never bakes twice. Once the image is available its
 * snapshots are tagged and app01, which exists only to be imaged, is terminated.
 */
public final class BakeGoldenImageService {
    static final String COMPONENT = "golden-ami";
    static final String APP_SERVER_COMPONENT = "app01";
    static final String BOOT_TAG = dev.pipeline.provision.instances.Ec2Instance.BOOT_TAG;
    private static final Set<String> IMAGEABLE = Set.of("running", "stopped");
    private static final Set<String> SETTLING = Set.of("pending", "stopping");

    private final ImageGateway ec2;

    public BakeGoldenImageService(ImageGateway ec2) {
        this.ec2 = ec2;
    }

    public BakeGoldenImageOutput bake(EnvironmentSpec spec, Run run, BakeGoldenImageInput.AppServer appServer) {
        GoldenImages.Decision decision = GoldenImages.decide(ec2.imagesTagged(spec.name(), COMPONENT));
        return switch (decision) {
            case GoldenImages.Use(ImageView image) -> {
                ec2.terminateTagged(spec.name(), APP_SERVER_COMPONENT);
                yield new BakeGoldenImageOutput(true, image.id());
            }
            case GoldenImages.Wait(ImageView image) -> {
                run.checkDeadline("golden image " + image.id());
                yield new BakeGoldenImageOutput(false, image.id());
            }
            case GoldenImages.Broken(ImageView image) -> {
                ec2.deregister(image.id());
                throw new StageFailedException("golden image " + image.id() + " (" + image.name() + ") failed"
                        + (image.stateReason() == null ? "" : ": " + image.stateReason())
                        + "; it has been deregistered, and the next provisioning run bakes a new one");
            }
            case GoldenImages.Create() -> create(spec, run, appServer);
        };
    }

    private BakeGoldenImageOutput create(EnvironmentSpec spec, Run run, BakeGoldenImageInput.AppServer appServer) {
        if (appServer == null) {
            throw new StageFailedException("the workflow state has no $.appServer; ProvisionAppServer must run first");
        }
        if (appServer.wasSkipped()) {
            throw new StageFailedException("ProvisionAppServer launched no app01 because a golden image of "
                    + spec.name() + " existed, but no available or pending image tagged "
                    + EnvironmentSpec.TAG_COMPONENT + "=" + COMPONENT + " is left; run provisioning again to bake one");
        }
        String instanceId = appServer.instanceId();
        if (instanceId == null || instanceId.isBlank()) {
            throw new StageFailedException("the workflow state has no app01 instance id ($.appServer.instanceId)");
        }
        InstanceView app01 = ec2.instance(instanceId).orElseThrow(() -> new StageFailedException(
                "app01 " + instanceId + " does not exist, and there is no golden image yet; run provisioning again"));
        Map<String, String> tags = app01.tags();
        if (!spec.name().equals(tags.get(EnvironmentSpec.TAG_ENVIRONMENT))
                || !APP_SERVER_COMPONENT.equals(tags.get(EnvironmentSpec.TAG_COMPONENT))) {
            throw new StageFailedException("instance " + instanceId + " is not app01 of " + spec.name() + " (tags "
                    + EnvironmentSpec.TAG_ENVIRONMENT + ", " + EnvironmentSpec.TAG_COMPONENT + "); refusing to image it");
        }
        if (SETTLING.contains(app01.state())) {
            run.checkDeadline("app01 " + instanceId);
            return new BakeGoldenImageOutput(false, null);
        }
        if (!IMAGEABLE.contains(app01.state())) {
            throw new StageFailedException("app01 " + instanceId + " is " + app01.state()
                    + " and there is no golden image yet; run provisioning again to launch a new app01");
        }

        // An image taken while the boot script runs would cut it off (CreateImage reboots; user data never runs
        // again) and every fleet instance would boot half-installed. The script's own tag says it finished.
        String boot = tags.get(BOOT_TAG);
        if (!"complete".equals(boot)) {
            throw new StageFailedException("refusing to image app01 " + instanceId + ": its boot script "
                    + (boot == null ? "has not reported finishing" : "ended " + boot) + " (tag " + BOOT_TAG
                    + "); ProvisionAppServer waits for it before this stage runs");
        }

        String name = GoldenImages.name(spec.name(), app01.launchTime());
        return switch (ec2.createImage(instanceId, name, "Golden image of " + spec.name() + ", made from app01 "
                + instanceId + " by war-pipeline", tags(spec), tags(spec))) {
            case ImageGateway.Created(String imageId) -> new BakeGoldenImageOutput(false, imageId);
            case ImageGateway.NameTaken() -> sameBake(spec, name);
        };
    }

    /**
     * CreateImage refused the name: a concurrent run imaged the same app01 between our look and our create. Its
     * image carries our tags (they are set at creation), so the next call finds it by tag. An image of that name
     * without them is not ours, and waiting would not change that.
     */
    private BakeGoldenImageOutput sameBake(EnvironmentSpec spec, String name) {
        ImageView other = ec2.imageNamed(name).orElseThrow(() -> new RetryableException(
                "image name " + name + " is taken but no such image is listed yet"));
        if (!spec.name().equals(other.tags().get(EnvironmentSpec.TAG_ENVIRONMENT))
                || !COMPONENT.equals(other.tags().get(EnvironmentSpec.TAG_COMPONENT))) {
            throw new StageFailedException("an image named " + name + " (" + other.id() + ") already exists but is not "
                    + spec.name() + "'s golden image (it lacks its tags); deregister it or rename it, then run again");
        }
        return new BakeGoldenImageOutput(false, other.id());
    }

    static Map<String, String> tags(EnvironmentSpec spec) {
        Map<String, String> tags = new LinkedHashMap<>(spec.tags(COMPONENT));
        tags.put("Name", spec.resourceName(COMPONENT));
        return tags;
    }
}
