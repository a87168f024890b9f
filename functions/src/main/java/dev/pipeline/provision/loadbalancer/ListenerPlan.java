package dev.pipeline.provision.loadbalancer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What to do to a load balancer's listeners to reach the desired set, matched by port: create the missing,
 * modify the drifted, delete the ones on ports we no longer serve. Apply in that order: adding HTTPS creates 443
 * before 80 turns into a redirect to it, and removing HTTPS makes 80 forward again before 443 goes.
 */
public record ListenerPlan(List<ListenerSpec> create, List<Change> modify, List<ListenerView> delete) {

    /** A listener to modify in place (same port, so its ARN survives). */
    public record Change(ListenerView current, ListenerSpec desired) {
    }

    public static ListenerPlan of(List<ListenerSpec> desired, List<ListenerView> actual) {
        Map<Integer, ListenerView> byPort = actual.stream()
                .collect(Collectors.toMap(l -> l.spec().port(), Function.identity(), (a, b) -> a));
        List<ListenerSpec> create = new ArrayList<>();
        List<Change> modify = new ArrayList<>();
        for (ListenerSpec want : desired) {
            ListenerView have = byPort.get(want.port());
            if (have == null) create.add(want);
            else if (!want.satisfiedBy(have.spec())) modify.add(new Change(have, want));
        }
        List<Integer> wantedPorts = desired.stream().map(ListenerSpec::port).toList();
        List<ListenerView> delete = actual.stream().filter(l -> !wantedPorts.contains(l.spec().port())).toList();
        return new ListenerPlan(List.copyOf(create), List.copyOf(modify), delete);
    }

    public boolean isEmpty() {
        return create.isEmpty() && modify.isEmpty() && delete.isEmpty();
    }
}
