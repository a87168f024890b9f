package dev.pipeline.local.refresh;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshPlanTest {

    @Test
    void replaceAtOnce_isOneAtATime_whenTheHealthyFloorKeepsTheWholeGroup() {
        // 4 x 90 % = 3.6, rounded up to 4: nothing may go, and AWS still replaces one at a time
        assertThat(RefreshPlan.replaceAtOnce(4, 90, 100)).isEqualTo(1);
        assertThat(RefreshPlan.replaceAtOnce(4, 100, 100)).isEqualTo(1);
    }

    @Test
    void replaceAtOnce_followsTheUserGuideExample_tenInstancesAtEightyPercent() {
        assertThat(RefreshPlan.replaceAtOnce(10, 80, 100)).isEqualTo(2);
    }

    @Test
    void replaceAtOnce_replacesEverything_whenMinHealthyIsZero() {
        assertThat(RefreshPlan.replaceAtOnce(4, 0, 100)).isEqualTo(4);
    }

    @Test
    void replaceAtOnce_widensWithMaxHealthyAboveHundred() {
        // floor 4 (100 %), ceiling 6 (150 %): two at a time
        assertThat(RefreshPlan.replaceAtOnce(4, 100, 150)).isEqualTo(2);
        assertThat(RefreshPlan.replaceAtOnce(4, 50, 100)).isEqualTo(2);
    }

    @Test
    void replaceAtOnce_isZero_forAnEmptyGroup() {
        assertThat(RefreshPlan.replaceAtOnce(0, 90, 100)).isZero();
    }

    @Test
    void nextBatch_stopsAtTheNextCheckpoint_evenWhenMoreMayGo() {
        // 10 instances, 4 at once, checkpoint at 20 %: only 2 before the first pause
        assertThat(RefreshPlan.nextBatch(10, 0, 10, 4, List.of(20, 50, 100))).isEqualTo(2);
        assertThat(RefreshPlan.nextBatch(10, 2, 8, 4, List.of(20, 50, 100))).isEqualTo(3);
        assertThat(RefreshPlan.nextBatch(10, 5, 5, 4, List.of(20, 50, 100))).isEqualTo(4);
    }

    @Test
    void nextBatch_neverExceedsWhatRemains_andIsZeroWhenNothingRemains() {
        assertThat(RefreshPlan.nextBatch(4, 3, 1, 4, List.of())).isEqualTo(1);
        assertThat(RefreshPlan.nextBatch(4, 4, 0, 4, List.of())).isZero();
    }

    @Test
    void checkpointReached_reportsTheHighestCrossed_andSkipsTheLowerOnes() {
        // the user guide: 2 instances, [10, 40, 100]; one replacement is 50 %, so 40 is reported and 10 skipped
        assertThat(RefreshPlan.checkpointReached(2, 0, 1, List.of(10, 40, 100))).contains(40);
        assertThat(RefreshPlan.checkpointReached(2, 1, 2, List.of(10, 40, 100))).contains(100);
    }

    @Test
    void checkpointReached_isEmpty_betweenCheckpoints() {
        assertThat(RefreshPlan.checkpointReached(10, 2, 3, List.of(20, 50, 100))).isEqualTo(Optional.empty());
    }

    @Test
    void percentComplete_roundsDown_andTreatsAnEmptyGroupAsDone() {
        assertThat(RefreshPlan.percentComplete(1, 3)).isEqualTo(33);
        assertThat(RefreshPlan.percentComplete(3, 4)).isEqualTo(75);
        assertThat(RefreshPlan.percentComplete(4, 4)).isEqualTo(100);
        assertThat(RefreshPlan.percentComplete(0, 0)).isEqualTo(100);
    }
}
