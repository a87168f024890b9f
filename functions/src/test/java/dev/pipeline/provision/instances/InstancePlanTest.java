package dev.pipeline.provision.instances;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InstancePlanTest {

    private static Ec2Instance instance(String id, String state, int launchedMinute) {
        return new Ec2Instance(id, "db01", state, "10.40.10.5", Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60L * launchedMinute),
                "t3.small", "subnet-1", List.of("sg-1"), "arn:aws:iam::123456789012:instance-profile/backend", null);
    }

    @Test
    void nothingTagged_launches_withTheComponentAsTokenPurpose() {
        assertThat(InstancePlan.decide("db01", List.of())).isEqualTo(new InstancePlan.Launch("db01"));
    }

    @Test
    void runningOrPending_isKept() {
        Ec2Instance running = instance("i-1", "running", 0);
        Ec2Instance pending = instance("i-2", "pending", 0);

        assertThat(InstancePlan.decide("db01", List.of(running))).isEqualTo(new InstancePlan.Keep(running));
        assertThat(InstancePlan.decide("db01", List.of(pending))).isEqualTo(new InstancePlan.Keep(pending));
    }

    @Test
    void stopped_isStarted_andStopping_isAwaited() {
        Ec2Instance stopped = instance("i-1", "stopped", 0);
        Ec2Instance stopping = instance("i-2", "stopping", 0);

        assertThat(InstancePlan.decide("db01", List.of(stopped))).isEqualTo(new InstancePlan.Start(stopped));
        assertThat(InstancePlan.decide("db01", List.of(stopping))).isEqualTo(new InstancePlan.AwaitStopped(stopping));
    }

    @Test
    void terminated_isReplaced_underATokenNamingTheNewestRetiredInstance() {
        List<Ec2Instance> retired = List.of(instance("i-old", "terminated", 0), instance("i-new", "shutting-down", 5));

        assertThat(InstancePlan.decide("db01", retired)).isEqualTo(new InstancePlan.Launch("db01@i-new"));
    }

    @Test
    void aRetry_seesTheSameRetiredInstances_andSoRepeatsTheToken() {
        List<Ec2Instance> retired = List.of(instance("i-b", "terminated", 3), instance("i-a", "terminated", 3));

        assertThat(InstancePlan.decide("db01", retired)).isEqualTo(InstancePlan.decide("db01", retired.reversed()));
    }

    @Test
    void duplicates_keepTheRunningOne_thenTheOldest() {
        Ec2Instance stoppedOld = instance("i-1", "stopped", 0);
        Ec2Instance runningNew = instance("i-2", "running", 9);
        Ec2Instance runningNewer = instance("i-3", "running", 10);

        assertThat(InstancePlan.decide("db01", List.of(stoppedOld, runningNewer, runningNew)))
                .isEqualTo(new InstancePlan.Keep(runningNew));
    }

    @Test
    void aLiveInstance_winsOverRetiredOnes() {
        Ec2Instance live = instance("i-2", "running", 1);

        assertThat(InstancePlan.decide("db01", List.of(instance("i-1", "terminated", 5), live)))
                .isEqualTo(new InstancePlan.Keep(live));
    }
}
