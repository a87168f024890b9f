package dev.pipeline.provision.verify;

import dev.pipeline.provision.fleet.GroupView;
import dev.pipeline.provision.loadbalancer.TargetHealth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How many of the group's in-service instances the target group finds healthy, against the group's desired
 * capacity. Targets that are not the group's (a leftover app01, an instance detached by hand) do not count: the
 * site is served by the group.
 *
 * @param problems one line per group instance that does not count yet, with ELB's reason
 */
public record FleetHealth(int healthy, int desired, List<String> problems) {

    public static FleetHealth of(GroupView group, Map<String, TargetHealth> targets) {
        int healthy = 0;
        List<String> problems = new ArrayList<>();
        for (GroupView.GroupInstance i : group.instances()) {
            if (!i.inService()) {
                problems.add(i.instanceId() + " is " + i.lifecycleState() + " in the group");
                continue;
            }
            TargetHealth t = targets.get(i.instanceId());
            if (t == null) {
                problems.add(i.instanceId() + " is not registered with the target group");
            } else if (t.healthy()) {
                healthy++;
            } else {
                problems.add(i.instanceId() + " is " + t.state() + (t.reason() == null ? "" : " (" + t.reason()
                        + (t.description() == null ? "" : ": " + t.description()) + ")"));
            }
        }
        if (group.instances().size() < group.desired()) {
            problems.add("the group has " + group.instances().size() + " of " + group.desired() + " desired instances");
        }
        return new FleetHealth(healthy, group.desired(), List.copyOf(problems));
    }

    public boolean ready() {
        return healthy >= desired;
    }
}
