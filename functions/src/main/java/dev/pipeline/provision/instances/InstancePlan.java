package dev.pipeline.provision.instances;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a provisioning stage does for one component (db01, app01...), decided from the instances tagged with it.
 * Pure: the caller finds the instances and carries out the plan.
 */
public sealed interface InstancePlan {

    /** Pending or running: use it; a pending one becomes ready by itself. */
    record Keep(Ec2Instance instance) implements InstancePlan {}

    /** Stopped: start it (its disk, and so the service's data, survived the stop). */
    record Start(Ec2Instance instance) implements InstancePlan {}

    /** Stopping: it cannot be started until it has stopped; the next poll starts it. */
    record AwaitStopped(Ec2Instance instance) implements InstancePlan {}

    /**
     * Nothing usable: launch one, with {@code tokenPurpose} for {@code Run.tokenFor}. The purpose names the newest
     * retired instance, because EC2 answers a repeated ClientToken with the instance it launched first, even when
     * that one has since been terminated: a relaunch in the same run needs a token of its own, while a retry of
     * the same call (which sees the same retired instances) must repeat the token.
     */
    record Launch(String tokenPurpose) implements InstancePlan {}

    // Which of several live instances to keep when there are duplicates (e.g. launched by hand with our tags).
    Map<String, Integer> PREFERENCE = Map.of("running", 0, "pending", 1, "stopped", 2, "stopping", 3);
    Comparator<Ec2Instance> OLDEST_FIRST = Comparator
            .comparing(Ec2Instance::launchTime, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Ec2Instance::instanceId);

    static InstancePlan decide(String component, List<Ec2Instance> tagged) {
        Optional<Ec2Instance> live = tagged.stream()
                .filter(Ec2Instance::exists)
                .min(Comparator.<Ec2Instance>comparingInt(i -> PREFERENCE.get(i.state())).thenComparing(OLDEST_FIRST));
        if (live.isPresent()) {
            Ec2Instance i = live.get();
            return switch (i.state()) {
                case "stopped" -> new Start(i);
                case "stopping" -> new AwaitStopped(i);
                default -> new Keep(i);
            };
        }
        return tagged.stream()
                .filter(Ec2Instance::retired)
                .max(OLDEST_FIRST)
                .<InstancePlan>map(newest -> new Launch(component + "@" + newest.instanceId()))
                .orElse(new Launch(component));
    }
}
