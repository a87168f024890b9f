package dev.pipeline.spec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The healthy-target floor the capacity alarm uses: what a refresh keeps, never more. */
class DeploymentTest {
    private static Deployment withMinHealthy(int percent) {
        return new Deployment(120, percent, SpecDefaults.maxHealthyPercentage(percent), 120, new Deployment.Alarms(10, 2),
                new Deployment.InPlace(SpecDefaults.IN_PLACE_CONFIG));
    }

    @Test
    void launchBeforeTerminate_keepsTheWholeFleet() {
        assertThat(withMinHealthy(100).minHealthyHosts(2)).isEqualTo(2);
        assertThat(withMinHealthy(100).minHealthyHosts(8)).isEqualTo(8);
    }

    @Test
    void aLowerMinimum_roundsDown_soTheAlarmNeverAsksMoreThanTheRefreshKeeps() {
        // AWS's default 90 %: of 3 instances the refresh may take one out, leaving 2 (2.7 rounded down)
        assertThat(withMinHealthy(90).minHealthyHosts(3)).isEqualTo(2);
        assertThat(withMinHealthy(90).minHealthyHosts(10)).isEqualTo(9);
    }

    @Test
    void evenAZeroMinimum_wantsOneHealthyHost() {
        // a site with no healthy target is down whatever the refresh allows
        assertThat(withMinHealthy(0).minHealthyHosts(2)).isEqualTo(1);
        assertThat(withMinHealthy(50).minHealthyHosts(1)).isEqualTo(1);
    }
}
