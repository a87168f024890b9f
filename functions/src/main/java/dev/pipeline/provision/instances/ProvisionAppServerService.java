package dev.pipeline.provision.instances;

import dev.pipeline.provision.StageInputs;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.List;

/**
 * app01, the Tomcat server the golden image is made from: found by its tags, started when stopped, launched
 * when missing, never built when the environment already has a golden image (BakeGoldenImage retires app01
 * once its image is available, and a provisioning re-run must not bring it back). Identity:
 * {@code pipeline:environment} + {@code pipeline:component=app01}; a launch is idempotent within a run through
 * its ClientToken.
 */
public final class ProvisionAppServerService {
    /** How much of app01's console a failed boot shows: enough for the failing command and its error. */
    static final int CONSOLE_LINES = 15;
    private final InstanceGateway gateway;
    private final InstanceConverger converger;
    private final UserDataRenderer userData;
    private final String artifactBucket;
    private final String instanceProfile;

    private final dev.pipeline.provision.bootstrap.BootstrapArtifacts bootstrap;

    public ProvisionAppServerService(InstanceGateway gateway, UserDataRenderer userData, String artifactBucket,
                                     String instanceProfile) {
        this(gateway, userData, artifactBucket, instanceProfile, null);
    }

    /** With {@code bootstrap}, the sample app is put at the default bootstrap WAR key when nothing is there yet. */
    public ProvisionAppServerService(InstanceGateway gateway, UserDataRenderer userData, String artifactBucket,
                                     String instanceProfile, dev.pipeline.provision.bootstrap.BootstrapArtifacts bootstrap) {
        this.bootstrap = bootstrap;
        this.gateway = gateway;
        this.converger = new InstanceConverger(gateway);
        this.userData = userData;
        this.artifactBucket = artifactBucket;
        this.instanceProfile = instanceProfile;
    }

    public ProvisionAppServerOutput provision(EnvironmentSpec spec, Run run, SecurityGroupIds groups, SecretParameters secrets) {
        if (gateway.goldenImageExists(spec.name())) {
            return new ProvisionAppServerOutput(true, null, null, true);
        }
        String groupId = StageInputs.require(groups == null ? null : groups.appGroupId(),
                "securityGroups.appGroupId", "ProvisionSecurityGroups");
        SecretParameters names = secrets == null ? new SecretParameters(null, null) : secrets;
        String component = Components.APP_SERVER;
        List<Ec2Instance> tagged = gateway.findByEnvironment(spec.name(), List.of(component));
        if (bootstrap != null && tagged.stream().noneMatch(Ec2Instance::exists)) bootstrap.ensureDefaultWar(spec);
        var app = spec.instance(Role.APP);
        Ec2Instance instance = converger.converge(component, tagged, run,
                new InstanceConverger.Expected(app.instanceType(), groupId, instanceProfile),
                token -> new LaunchSpec(component, gateway.resolveImage(app.ami(), component), app.instanceType(),
                        spec.network().appSubnets().getFirst(), groupId, instanceProfile,
                        userData.render(Role.APP, new UserDataRenderer.Inputs(spec, artifactBucket, names, List.of())),
                        ProvisionBackendsService.tags(spec, component), token));
        // Ready means its boot script finished (the tag it sets on itself), not just "running": BakeGoldenImage's
        // CreateImage reboots the instance, and user data never runs again after a reboot.
        if (instance.bootFailed()) {
            throw new StageFailedException(component + " (" + instance.instanceId() + ") failed to boot: its boot script "
                    + "ended with an error. The last lines of its console output:\n"
                    + gateway.consoleTail(instance.instanceId(), CONSOLE_LINES));
        }
        if (!instance.booted()) {
            try {
                run.checkDeadline(component + " (" + instance.instanceId() + ", " + instance.state() + ", boot script not finished)");
            } catch (StageFailedException late) {
                throw new StageFailedException(late.getMessage() + ". The last lines of its console output:\n"
                        + gateway.consoleTail(instance.instanceId(), CONSOLE_LINES), late);
            }
        }
        return new ProvisionAppServerOutput(instance.booted(), instance.instanceId(), instance.privateIp(), false);
    }
}
