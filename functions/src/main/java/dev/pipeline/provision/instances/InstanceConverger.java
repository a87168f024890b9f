package dev.pipeline.provision.instances;

import dev.pipeline.functions.Run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Carries out an {@link InstancePlan} for one component: keeps, starts or launches. Settings of an instance
 * that already exists are compared and any difference is logged, not changed: a new type, image or profile
 * means replacing a server that holds data, which is a decision for a person (or the drift check), not for
 * a provisioning re-run.
 */
final class InstanceConverger {
    private static final System.Logger LOG = System.getLogger(InstanceConverger.class.getName());

    private final InstanceGateway gateway;

    InstanceConverger(InstanceGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * @param launch builds the launch for a ClientToken; called only when something must be launched
     * @return the component's instance as it is after this call
     */
    Ec2Instance converge(String component, List<Ec2Instance> tagged, Run run, Expected expected,
                         Function<String, LaunchSpec> launch) {
        InstancePlan plan = InstancePlan.decide(component, tagged);
        return switch (plan) {
            case InstancePlan.Keep(Ec2Instance i) -> logDrift(component, i, expected);
            case InstancePlan.AwaitStopped(Ec2Instance i) -> logDrift(component, i, expected);
            case InstancePlan.Start(Ec2Instance i) -> {
                logDrift(component, i, expected);
                gateway.start(i.instanceId());
                yield i.withState("pending");
            }
            case InstancePlan.Launch(String purpose) -> gateway.launch(launch.apply(run.tokenFor(purpose)));
        };
    }

    /** What an instance of the component should look like. */
    record Expected(String instanceType, String securityGroupId, String instanceProfileName) {
    }

    /** The differences between an existing instance and what the spec asks for, in words. Pure. */
    static List<String> differences(Ec2Instance i, Expected expected) {
        List<String> diffs = new ArrayList<>();
        if (!expected.instanceType().equals(i.instanceType())) {
            diffs.add("instance type is " + i.instanceType() + ", the spec says " + expected.instanceType());
        }
        if (!i.securityGroupIds().contains(expected.securityGroupId())) {
            diffs.add("security groups are " + i.securityGroupIds() + ", without " + expected.securityGroupId());
        }
        String arn = i.instanceProfileArn();
        if (arn == null || !arn.endsWith("/" + expected.instanceProfileName())) {
            diffs.add("instance profile is " + (arn == null ? "none" : arn) + ", not " + expected.instanceProfileName());
        }
        return diffs;
    }

    private static Ec2Instance logDrift(String component, Ec2Instance i, Expected expected) {
        List<String> diffs = differences(i, expected);
        if (!diffs.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0} ({1}) differs from the spec and is kept as is: {2}",
                    component, i.instanceId(), String.join("; ", diffs));
        }
        return i;
    }
}
