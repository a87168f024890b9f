package dev.pipeline.local.elb;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ALB health state rules: one pass makes a new target healthy; thresholds count consecutive results after that. */
class TargetHealthStateTest {
    private static final int HEALTHY = 5, UNHEALTHY = 2;

    @Test
    void newTarget_isInitial_registrationInProgress_untilItsFirstCheck() {
        TargetHealthState s = new TargetHealthState();
        assertThat(s.state()).isEqualTo(TargetHealthState.State.INITIAL);
        assertThat(s.reason()).isEqualTo("Elb.RegistrationInProgress");
    }

    @Test
    void newTarget_isHealthy_afterOnePassedCheck() {
        TargetHealthState s = new TargetHealthState();
        s.record(CheckResult.success(200), HEALTHY, UNHEALTHY);
        assertThat(s.state()).isEqualTo(TargetHealthState.State.HEALTHY);
        assertThat(s.reason()).isNull();
        assertThat(s.description()).isNull();
    }

    @Test
    void newTarget_staysInitial_initialHealthChecking_untilTheUnhealthyThreshold() {
        TargetHealthState s = new TargetHealthState();
        s.record(CheckResult.failed(), HEALTHY, UNHEALTHY);
        assertThat(s.state()).isEqualTo(TargetHealthState.State.INITIAL);
        assertThat(s.reason()).isEqualTo("Elb.InitialHealthChecking");
        s.record(CheckResult.mismatch(500), HEALTHY, UNHEALTHY);
        assertThat(s.state()).isEqualTo(TargetHealthState.State.UNHEALTHY);
        assertThat(s.reason()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(s.description()).isEqualTo("Health checks failed with these codes: [500]");
    }

    @Test
    void healthyTarget_goesOutOfService_onlyAfterUnhealthyThresholdConsecutiveFailures() {
        TargetHealthState s = new TargetHealthState();
        s.record(CheckResult.success(200), HEALTHY, UNHEALTHY);
        s.record(CheckResult.timeout(), HEALTHY, UNHEALTHY);
        s.record(CheckResult.success(200), HEALTHY, UNHEALTHY); // the run of failures is broken
        s.record(CheckResult.timeout(), HEALTHY, UNHEALTHY);
        assertThat(s.state()).isEqualTo(TargetHealthState.State.HEALTHY);
        s.record(CheckResult.timeout(), HEALTHY, UNHEALTHY);
        assertThat(s.state()).isEqualTo(TargetHealthState.State.UNHEALTHY);
        assertThat(s.reason()).isEqualTo("Target.Timeout");
    }

    @Test
    void unhealthyTarget_comesBack_onlyAfterHealthyThresholdConsecutiveSuccesses() {
        TargetHealthState s = new TargetHealthState();
        s.record(CheckResult.failed(), HEALTHY, UNHEALTHY);
        s.record(CheckResult.failed(), HEALTHY, UNHEALTHY);
        assertThat(s.reason()).isEqualTo("Target.FailedHealthChecks");
        for (int i = 1; i < HEALTHY; i++) {
            s.record(CheckResult.success(200), HEALTHY, UNHEALTHY);
            assertThat(s.state()).as("after %d successes", i).isEqualTo(TargetHealthState.State.UNHEALTHY);
        }
        s.record(CheckResult.success(200), HEALTHY, UNHEALTHY);
        assertThat(s.state()).isEqualTo(TargetHealthState.State.HEALTHY);
    }
}
