package dev.pipeline.provision.instances;

import dev.pipeline.provision.StageInputs;
import dev.pipeline.functions.Run;
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
    private final InstanceGateway gateway;
    private final InstanceConverger converger;
    private final UserDataRenderer userData;
    private final String artifactBucket;
    private final String instanceProfile;

    public ProvisionAppServerService(InstanceGateway gateway, UserDataRenderer userData, String artifactBucket,
                                     String instanceProfile) {
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
        var app = spec.instance(Role.APP);
        Ec2Instance instance = converger.converge(component, tagged, run,
                new InstanceConverger.Expected(app.instanceType(), groupId, instanceProfile),
                token -> new LaunchSpec(component, gateway.resolveImage(app.ami(), component), app.instanceType(),
                        spec.network().appSubnets().getFirst(), groupId, instanceProfile,
                        userData.render(Role.APP, new UserDataRenderer.Inputs(spec, artifactBucket, names, List.of())),
                        ProvisionBackendsService.tags(spec, component), token));
        if (!instance.ready()) run.checkDeadline(component);
        return new ProvisionAppServerOutput(instance.ready(), instance.instanceId(), instance.privateIp(), false);
    }
}
