package dev.pipeline.provision.fleet;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GroupUpdateTest {
    static final GroupSettings WANT = new GroupSettings("vprofile-app", "lt-1", "3", 1, 4, 2, List.of("s1", "s2"),
            List.of("tg"), "ELB", 300, List.of("OldestLaunchTemplate", "Default"), Map.of(), Map.of());

    @Test
    void plan_changesNothing_forAMatchingGroup() {
        GroupUpdate u = GroupUpdate.plan(have(1, 4, 2, "lt-1", "3", List.of("tg"), "ELB", 300), WANT);
        assertThat(u.updatesGroup()).isFalse();
        assertThat(u.attachTargetGroups()).isEmpty();
        assertThat(u.changes()).isEmpty();
    }

    @Test
    void plan_keepsDesiredCapacity_whenAutoscalingMovedItWithinLimits() {
        GroupUpdate u = GroupUpdate.plan(have(1, 4, 4, "lt-1", "3", List.of("tg"), "ELB", 300), WANT);
        assertThat(u.desired()).isNull();
        assertThat(u.updatesGroup()).isFalse();
    }

    @Test
    void plan_clampsDesiredToTheNearestLimit_whenLimitsMovePastIt() {
        assertThat(GroupUpdate.plan(have(1, 8, 6, "lt-1", "3", List.of("tg"), "ELB", 300), WANT).desired()).isEqualTo(4);
        assertThat(GroupUpdate.plan(have(0, 4, 0, "lt-1", "3", List.of("tg"), "ELB", 300), WANT).desired()).isEqualTo(1);
    }

    @Test
    void plan_convergesLimitsHealthChecksAndTargetGroups() {
        GroupUpdate u = GroupUpdate.plan(have(1, 1, 1, "lt-1", "3", List.of(), "EC2", 0), WANT);
        assertThat(u.min()).isEqualTo(1);
        assertThat(u.max()).isEqualTo(4);
        assertThat(u.desired()).isNull();
        assertThat(u.healthCheckType()).isEqualTo("ELB");
        assertThat(u.healthCheckGracePeriod()).isEqualTo(300);
        assertThat(u.attachTargetGroups()).containsExactly("tg");
        assertThat(u.changes()).hasSize(3);
    }

    @Test
    void plan_pinsANumberedVersion_whenGroupUsesLatestOrDefault() {
        assertThat(GroupUpdate.plan(have(1, 4, 2, "lt-1", "$Latest", List.of("tg"), "ELB", 300), WANT).launchTemplateVersion()).isEqualTo("3");
        assertThat(GroupUpdate.plan(have(1, 4, 2, "lt-1", "$Default", List.of("tg"), "ELB", 300), WANT).launchTemplateVersion()).isEqualTo("3");
    }

    @Test
    void plan_leavesAnotherNumberedVersionToTheInstanceRefresh() {
        // a deploy moved the group to version 5; provisioning does not move it back or forward
        assertThat(GroupUpdate.plan(have(1, 4, 2, "lt-1", "5", List.of("tg"), "ELB", 300), WANT).launchTemplateVersion()).isNull();
    }

    @Test
    void plan_pointsAtOurTemplate_whenGroupUsesAnotherOne() {
        GroupUpdate u = GroupUpdate.plan(have(1, 4, 2, "lt-old", "2", List.of("tg"), "ELB", 300), WANT);
        assertThat(u.launchTemplateId()).isEqualTo("lt-1");
        assertThat(u.launchTemplateVersion()).isEqualTo("3");
    }

    private static GroupView have(int min, int max, int desired, String lt, String version, List<String> tgs, String hc, int grace) {
        return new GroupView("vprofile-app", lt, version, min, max, desired, List.of("s1", "s2"), tgs, hc, grace, null, List.of(), Map.of());
    }
}
