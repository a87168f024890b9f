package dev.pipeline.deploy.rollout;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The rollout stages' pure decisions: which version a release uses, which refresh to follow, whether a rollback is done. */
class ReleaseDecisionsTest {
    private static final String LT = "lt-0123456789abcdef0";
    private static final Instant RUN_START = Instant.parse("2026-01-01T10:00:00Z");

    private static Refresh refresh(String id, String status, String version, Instant start) {
        return new Refresh(id, status, 0, null, LT, version, start);
    }

    @Test
    void choice_reusesTheNewestVersionNewerThanTheGroupsWithTheImage() {
        TemplateVersion running = new TemplateVersion(3, "ami-00000001", "provisioned");
        List<TemplateVersion> all = List.of(new TemplateVersion(2, "ami-00000002", "old"), running,
                new TemplateVersion(4, "ami-00000002", "release:a"), new TemplateVersion(5, "ami-00000009", "release:b"),
                new TemplateVersion(6, "ami-00000002", "release:a"));

        ReleaseVersionChoice choice = ReleaseVersionChoice.choose(running, all, "ami-00000002");

        assertThat(choice.alreadyRunning()).isFalse();
        assertThat(choice.reuse()).map(TemplateVersion::number).contains(6L);
    }

    @Test
    void choice_ignoresOlderVersions_soAnOldImageGetsAFreshVersionToRollBackFrom() {
        TemplateVersion running = new TemplateVersion(3, "ami-00000001", "provisioned");
        List<TemplateVersion> all = List.of(new TemplateVersion(2, "ami-00000002", "old"), running);

        assertThat(ReleaseVersionChoice.choose(running, all, "ami-00000002").reuse()).isEmpty();
    }

    @Test
    void choice_seesTheGroupAlreadyOnTheImage() {
        TemplateVersion running = new TemplateVersion(3, "ami-00000001", "provisioned");

        assertThat(ReleaseVersionChoice.choose(running, List.of(running), "ami-00000001").alreadyRunning()).isTrue();
    }

    @Test
    void numbered_refusesLatestAndDefault() {
        assertThat(ReleaseVersionChoice.numbered("7")).contains(7L);
        assertThat(ReleaseVersionChoice.numbered("$Latest")).isEmpty();
        assertThat(ReleaseVersionChoice.numbered("$Default")).isEmpty();
        assertThat(ReleaseVersionChoice.numbered(null)).isEmpty();
    }

    @Test
    void start_followsAnActiveRefreshOfThisVersion() {
        Refresh active = refresh("r2", "InProgress", "5", RUN_START.minusSeconds(60));

        assertThat(RefreshStart.decide(List.of(active), LT, 5, Optional.of(RUN_START))).isEqualTo(new RefreshStart.Follow(active));
    }

    @Test
    void start_conflictsWithAnActiveRefreshOfAnotherVersion() {
        Refresh other = refresh("r2", "RollbackInProgress", "4", RUN_START.minusSeconds(60));

        assertThat(RefreshStart.decide(List.of(other), LT, 5, Optional.of(RUN_START))).isEqualTo(new RefreshStart.Conflict(other));
    }

    @Test
    void start_followsAFinishedRefreshStartedDuringThisRun_butNotOneFromAnEarlierRun() {
        Refresh ours = refresh("r3", "Successful", "5", RUN_START.plusSeconds(5));
        Refresh earlier = refresh("r1", "RollbackSuccessful", "5", RUN_START.minusSeconds(600));

        assertThat(RefreshStart.decide(List.of(ours, earlier), LT, 5, Optional.of(RUN_START))).isEqualTo(new RefreshStart.Follow(ours));
        assertThat(RefreshStart.decide(List.of(earlier), LT, 5, Optional.of(RUN_START))).isEqualTo(new RefreshStart.Start());
    }

    @Test
    void rollbackCheck_isCompleteOnlyWithTheGroupAndEveryInstanceBack() {
        assertThat(RollbackCheck.of("3", 3, "ami-00000001", Map.of("i-1", "ami-00000001", "i-2", "ami-00000001")).complete()).isTrue();

        RollbackCheck stray = RollbackCheck.of("3", 3, "ami-00000001", Map.of("i-1", "ami-00000001", "i-2", "ami-00000002"));
        assertThat(stray.complete()).isFalse();
        assertThat(stray.problems()).isEqualTo("i-2 runs ami-00000002");

        RollbackCheck groupAhead = RollbackCheck.of("4", 3, "ami-00000001", Map.of("i-1", "ami-00000001"));
        assertThat(groupAhead.complete()).isFalse();
        assertThat(groupAhead.problems()).contains("not on the previous launch template version");
    }

    @Test
    void refresh_terminalStatusesAreAwsFive() {
        for (String s : List.of("Successful", "Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed")) {
            assertThat(refresh("r", s, "1", RUN_START).terminal()).as(s).isTrue();
        }
        for (String s : List.of("Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking")) {
            assertThat(refresh("r", s, "1", RUN_START).terminal()).as(s).isFalse();
        }
    }
}
