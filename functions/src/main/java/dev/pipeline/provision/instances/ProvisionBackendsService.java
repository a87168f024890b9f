package dev.pipeline.provision.instances;

import dev.pipeline.provision.StageInputs;
import dev.pipeline.functions.Run;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * db01, mc01 and rmq01: finds each by its tags, starts a stopped one, launches a missing one, and reports
 * whether all three are running. Identity: {@code pipeline:environment} + {@code pipeline:component} = host name;
 * a launch is idempotent within a run through its ClientToken. Calling it again converges and creates nothing new.
 */
public final class ProvisionBackendsService {
    private final InstanceGateway gateway;
    private final InstanceConverger converger;
    private final UserDataRenderer userData;
    private final String artifactBucket;
    private final String instanceProfile;

    public ProvisionBackendsService(InstanceGateway gateway, UserDataRenderer userData, String artifactBucket,
                                    String instanceProfile) {
        this.gateway = gateway;
        this.converger = new InstanceConverger(gateway);
        this.userData = userData;
        this.artifactBucket = artifactBucket;
        this.instanceProfile = instanceProfile;
    }

    public ProvisionBackendsOutput provision(EnvironmentSpec spec, Run run, SecurityGroupIds groups, SecretParameters secrets) {
        String groupId = StageInputs.require(groups == null ? null : groups.backendGroupId(),
                "securityGroups.backendGroupId", "ProvisionSecurityGroups");
        SecretParameters names = secrets == null ? new SecretParameters(null, null) : secrets;
        List<String> components = Components.BACKENDS.stream().map(r -> Components.of(spec, r)).toList();
        Map<String, List<Ec2Instance>> tagged = gateway.findByEnvironment(spec.name(), components).stream()
                .filter(i -> i.component() != null)
                .collect(Collectors.groupingBy(Ec2Instance::component));
        Launches launches = new Launches(spec, groupId, names);

        Map<String, InstanceStatus> instances = new LinkedHashMap<>();
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < Components.BACKENDS.size(); i++) {
            Role role = Components.BACKENDS.get(i);
            String component = components.get(i);
            int index = i;
            Ec2Instance instance = converger.converge(component, tagged.getOrDefault(component, List.of()), run,
                    new InstanceConverger.Expected(spec.instance(role).instanceType(), groupId, instanceProfile),
                    token -> launches.of(role, component, index, token));
            instances.put(component, InstanceStatus.of(instance));
            if (!instance.ready()) waiting.add(component);
        }
        if (!waiting.isEmpty()) run.checkDeadline(String.join(", ", waiting));
        return new ProvisionBackendsOutput(waiting.isEmpty(), instances);
    }

    /** Builds launches, resolving each image and the subnets' blocks at most once per call, and only if needed. */
    private final class Launches {
        private final EnvironmentSpec spec;
        private final String groupId;
        private final SecretParameters secrets;
        private final Map<String, BaseImage> images = new HashMap<>();
        private List<String> appSubnetCidrs;

        Launches(EnvironmentSpec spec, String groupId, SecretParameters secrets) {
            this.spec = spec;
            this.groupId = groupId;
            this.secrets = secrets;
        }

        LaunchSpec of(Role role, String component, int index, String token) {
            var ami = spec.instance(role).ami();
            BaseImage image = images.computeIfAbsent(ami.value(), v -> gateway.resolveImage(ami, component));
            List<String> cidrs = role == Role.DB ? appSubnetCidrs() : List.of();
            String script = userData.render(role, new UserDataRenderer.Inputs(spec, artifactBucket, secrets, cidrs));
            // Spread over the app subnets (db01 in the first, mc01 in the second...), so one AZ does not hold all.
            List<String> subnets = spec.network().appSubnets();
            return new LaunchSpec(component, image, spec.instance(role).instanceType(),
                    subnets.get(index % subnets.size()), groupId, instanceProfile, script, tags(spec, component), token);
        }

        private List<String> appSubnetCidrs() {
            if (appSubnetCidrs == null) appSubnetCidrs = gateway.subnetCidrs(spec.network().appSubnets());
            return appSubnetCidrs;
        }
    }

    /** The spec's tags for a component, plus its Name. */
    static Map<String, String> tags(EnvironmentSpec spec, String component) {
        Map<String, String> tags = new LinkedHashMap<>(spec.tags(component));
        tags.put("Name", spec.resourceName(component));
        return tags;
    }
}
