package dev.pipeline.provision.instances;

import dev.pipeline.functions.Run;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.List;
import java.util.Map;

/**
 * Terminates every instance tagged {@code pipeline:environment} = the spec's name, whatever its component
 * (backends, app01, deploy builders), and reports ready once none is left but terminated ones. Instances of
 * other environments and untagged ones are never touched. Calling it again is harmless.
 */
public final class TeardownInstancesService {
    private final InstanceGateway gateway;

    public TeardownInstancesService(InstanceGateway gateway) {
        this.gateway = gateway;
    }

    public TeardownInstancesOutput teardown(EnvironmentSpec spec, Run run) {
        List<Ec2Instance> found = gateway.findByEnvironment(spec.name(), null);
        List<String> live = found.stream().filter(Ec2Instance::exists).map(Ec2Instance::instanceId).toList();
        Map<String, String> now = live.isEmpty() ? Map.of() : gateway.terminate(live);
        List<Ec2Instance> after = found.stream()
                .map(i -> now.containsKey(i.instanceId()) ? i.withState(now.get(i.instanceId())) : i)
                .toList();
        boolean ready = after.stream().allMatch(i -> "terminated".equals(i.state()));
        List<String> terminated = after.stream().filter(Ec2Instance::retired).map(Ec2Instance::instanceId).sorted().toList();
        if (!ready) run.checkDeadline("termination of the instances of " + spec.name());
        return new TeardownInstancesOutput(ready, terminated);
    }
}
