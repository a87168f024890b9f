package dev.pipeline.provision.fleet;

import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.Ownership;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ProvisionLaunchTemplate: the template {@code <env>-app} the Auto Scaling group launches app servers from. Found by
 * name; when its default version already holds the wanted data it is reused, otherwise a new complete version
 * is created and made the default. A release the deploy workflow rolled out is kept (see {@link ImageChoice}).
 */
public class ProvisionLaunchTemplateService {

    static final String COMPONENT = "launch-template";
    /** Instances and their volumes are tagged as app servers, whatever launched them. */
    static final String INSTANCE_COMPONENT = Role.APP.key();
    private static final Pattern IMAGE_ID = Pattern.compile("ami-[0-9a-f]{8,17}");

    private final LaunchTemplateGateway ec2;
    private final String instanceProfile;

    public ProvisionLaunchTemplateService(LaunchTemplateGateway ec2, String instanceProfile) {
        this.ec2 = ec2;
        this.instanceProfile = instanceProfile;
    }

    public ProvisionLaunchTemplateOutput provision(ProvisionLaunchTemplateInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        Run run = StageInputs.require(input.run(), "$.run", "Prepare");
        String appGroup = StageInputs.require(input.securityGroups() == null ? null : input.securityGroups().appGroupId(),
                "$.securityGroups.appGroupId", "ProvisionSecurityGroups");
        String goldenId = StageInputs.require(input.goldenImage() == null ? null : input.goldenImage().imageId(),
                "$.goldenImage.imageId", "BakeGoldenImage");
        if (!IMAGE_ID.matcher(goldenId).matches()) {
            // A resolve:ssm: reference would resolve anew at each launch, so an instance refresh rollback could
            // not return to the image it replaced; the template holds concrete AMI ids only.
            throw new StageFailedException("$.goldenImage.imageId must be a concrete AMI id (ami-...), got \"" + goldenId + "\"");
        }
        ImageView golden = ec2.image(goldenId).orElseThrow(() -> new StageFailedException(
                "the golden image " + goldenId + " does not exist (deregistered?); run BakeGoldenImage again"));
        String name = spec.resourceName(Role.APP.key());
        LaunchSettings wanted = desired(spec, appGroup, golden);

        Optional<LaunchTemplateView> found = ec2.findTemplate(name);
        if (found.isEmpty()) {
            LaunchTemplateView t = ec2.create(name, wanted, Ownership.tags(spec, COMPONENT, name),
                    run.tokenFor("launch-template:" + wanted));
            return new ProvisionLaunchTemplateOutput(t.id(), t.name(), t.defaultVersion(), wanted.imageId(), false,
                    "created launch template " + name + " version " + t.defaultVersion() + " with " + wanted.imageId());
        }

        LaunchTemplateView t = found.get();
        Ownership.requireOurs(spec, "launch template", name, t.tags());
        LaunchSettings current = ec2.settings(t.id(), Long.toString(t.defaultVersion()));
        Optional<ImageView> currentImage = current.imageId() == null || current.imageId().equals(golden.imageId())
                ? Optional.of(golden) : ec2.image(current.imageId());
        ImageChoice choice = ImageChoice.choose(spec.name(), golden, currentImage);
        if (choice.keptRelease()) {
            wanted = wanted.withImage(currentImage.orElseThrow());
        }
        String kept = choice.keptRelease()
                ? "; kept the deployed release image " + choice.imageId() + " instead of the golden image " + golden.imageId()
                + " (a deploy rolled it out; provisioning does not roll it back)"
                : "";

        if (wanted.equals(current)) {
            return new ProvisionLaunchTemplateOutput(t.id(), t.name(), t.defaultVersion(), wanted.imageId(),
                    choice.keptRelease(), "reused launch template " + name + " version " + t.defaultVersion() + kept);
        }
        List<String> changed = current.differences(wanted);
        long version = ec2.createVersion(t.id(), wanted, "provisioned: " + String.join(", ", changed),
                run.tokenFor("launch-template-version:" + wanted));
        ec2.setDefaultVersion(t.id(), version);
        return new ProvisionLaunchTemplateOutput(t.id(), t.name(), version, wanted.imageId(), choice.keptRelease(),
                "created launch template " + name + " version " + version + " (changed: " + String.join(", ", changed)
                        + ") and made it the default; the Auto Scaling group picks it up with the next instance refresh" + kept);
    }

    /** What every app server launches with. */
    LaunchSettings desired(EnvironmentSpec spec, String appGroup, ImageView image) {
        String name = spec.resourceName(Role.APP.key());
        Map<String, String> tags = Ownership.tags(spec, INSTANCE_COMPONENT, name);
        return new LaunchSettings(image.imageId(), spec.instance(Role.APP).instanceType(), List.of(appGroup), instanceProfile,
                // IMDSv2 only: a token must be fetched with a PUT first, which SSRF through the app cannot do.
                "required", "enabled", 1,
                new LaunchSettings.RootVolume(image.rootDevice(), image.rootVolumeSizeGiB(), "gp3", true, true),
                tags, tags);
    }

}
