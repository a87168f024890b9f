package dev.pipeline.provision.verify;

import dev.pipeline.provision.fleet.GroupView;
import dev.pipeline.provision.loadbalancer.TargetHealth;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FleetHealthTest {

    @Test
    void ready_whenEveryDesiredInstanceIsHealthy() {
        FleetHealth h = FleetHealth.of(group(2, inService("i-1"), inService("i-2")),
                Map.of("i-1", healthy("i-1"), "i-2", healthy("i-2")));
        assertThat(h.ready()).isTrue();
        assertThat(h.healthy()).isEqualTo(2);
        assertThat(h.problems()).isEmpty();
    }

    @Test
    void notReady_namesUnhealthyUnregisteredAndPendingInstances() {
        FleetHealth h = FleetHealth.of(group(3, inService("i-1"), inService("i-2"),
                        new GroupView.GroupInstance("i-3", "Pending", "Healthy")),
                Map.of("i-1", new TargetHealth("i-1", "unhealthy", "Target.FailedHealthChecks", "Health checks failed")));
        assertThat(h.ready()).isFalse();
        assertThat(h.healthy()).isZero();
        assertThat(h.problems()).containsExactly(
                "i-1 is unhealthy (Target.FailedHealthChecks: Health checks failed)",
                "i-2 is not registered with the target group",
                "i-3 is Pending in the group");
    }

    @Test
    void healthyTargetsOutsideTheGroup_doNotCount() {
        FleetHealth h = FleetHealth.of(group(1, inService("i-1")),
                Map.of("i-app01", healthy("i-app01"), "i-1", new TargetHealth("i-1", "initial", "Elb.RegistrationInProgress", null)));
        assertThat(h.ready()).isFalse();
        assertThat(h.healthy()).isZero();
    }

    @Test
    void notReady_whenTheGroupHasFewerInstancesThanDesired() {
        FleetHealth h = FleetHealth.of(group(2, inService("i-1")), Map.of("i-1", healthy("i-1")));
        assertThat(h.ready()).isFalse();
        assertThat(h.problems()).containsExactly("the group has 1 of 2 desired instances");
    }

    private static GroupView group(int desired, GroupView.GroupInstance... instances) {
        return new GroupView("vprofile-app", "lt-1", "1", 1, 4, desired, List.of(), List.of("tg"), "ELB", 300, null,
                List.of(instances), Map.of());
    }

    private static GroupView.GroupInstance inService(String id) {
        return new GroupView.GroupInstance(id, "InService", "Healthy");
    }

    private static TargetHealth healthy(String id) {
        return new TargetHealth(id, "healthy", null, null);
    }
}
