package dev.pipeline.deploy.rollout;

import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.regex.Pattern;

/**
 * CreateReleaseVersion: a launch template version for the release, copied (SourceVersion) from the numbered version
 * the group runs with only the ImageId changed. Idempotency key: the image — a version newer than the group's that
 * already launches it is reused.
 */
public class CreateReleaseVersionService {
    private static final Pattern IMAGE_ID = Pattern.compile("ami-[0-9a-f]{8,17}");

    private final ReleaseTemplateGateway ec2;
    private final RefreshGateway autoScaling;

    public CreateReleaseVersionService(ReleaseTemplateGateway ec2, RefreshGateway autoScaling) {
        this.ec2 = ec2;
        this.autoScaling = autoScaling;
    }

    public CreateReleaseVersionOutput create(CreateReleaseVersionInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        Run run = StageInputs.run(input.run());
        String imageId = StageInputs.require(input.release() == null ? null : input.release().imageId(),
                "$.release.imageId", "the bake");
        if (!IMAGE_ID.matcher(imageId).matches()) {
            throw new StageFailedException("$.release.imageId must be an AMI id (ami-...), got \"" + imageId + "\"");
        }
        String name = spec.resourceName(Role.APP.key());
        RefreshGateway.Group group = autoScaling.group(name).orElseThrow(() -> new StageFailedException(
                "the Auto Scaling group " + name + " does not exist; provision the environment first"));
        ReleaseTemplateGateway.Template template = ec2.template(name).orElseThrow(() -> new StageFailedException(
                "the launch template " + name + " does not exist; provision the environment first"));
        if (!template.id().equals(group.launchTemplateId())) {
            throw new StageFailedException("the Auto Scaling group " + name + " launches from " + group.launchTemplateId()
                    + ", not from the launch template " + name + " (" + template.id() + "); provision the environment again");
        }
        long running = ReleaseVersionChoice.numbered(group.launchTemplateVersion()).orElseThrow(() -> new StageFailedException(
                "the Auto Scaling group " + name + " runs launch template version \"" + group.launchTemplateVersion()
                        + "\"; a release needs a numbered version to roll back to (provisioning sets one)"));
        TemplateVersion current = ec2.version(template.id(), running).orElseThrow(() -> new StageFailedException(
                "the Auto Scaling group " + name + " runs launch template version " + running + ", which no longer exists"));

        ReleaseVersionChoice choice = ReleaseVersionChoice.choose(current, ec2.versions(template.id()), imageId);
        if (choice.alreadyRunning()) {
            return new CreateReleaseVersionOutput(template.id(), running, current.imageId(), running, imageId,
                    "the group already runs " + imageId + " (version " + running + "); nothing to roll out");
        }
        if (choice.reuse().isPresent()) {
            long v = choice.reuse().get().number();
            return new CreateReleaseVersionOutput(template.id(), running, current.imageId(), v, imageId,
                    "reused launch template " + name + " version " + v + " with " + imageId);
        }
        String releaseId = input.release().releaseId();
        long v = ec2.createFrom(template.id(), running, imageId, ReleaseVersionChoice.description(releaseId, imageId),
                run.tokenFor("release-version:" + imageId));
        return new CreateReleaseVersionOutput(template.id(), running, current.imageId(), v, imageId,
                "created launch template " + name + " version " + v + " from version " + running + " with " + imageId);
    }
}
