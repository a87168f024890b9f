package dev.pipeline.local.refresh;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RefreshPreferencesTest {

    @Test
    void defaults_areThoseOfTheApiReference_whenNothingIsGiven() {
        RefreshPreferences p = RefreshPreferences.fromForm(Map.of());
        assertThat(p.minHealthy()).isEqualTo(90);
        assertThat(p.maxHealthy()).isEqualTo(100);
        assertThat(p.skipMatchingOn()).isFalse();
        assertThat(p.autoRollbackOn()).isFalse();
        assertThat(p.xml()).contains("<MinHealthyPercentage>90</MinHealthyPercentage>").doesNotContain("CheckpointDelay");
    }

    @Test
    void checkpoints_parseInOrder_andDefaultToAnHourOfDelay() {
        RefreshPreferences p = RefreshPreferences.fromForm(Map.of(
                "Preferences.CheckpointPercentages.member.1", "25",
                "Preferences.CheckpointPercentages.member.2", "100"));
        assertThat(p.checkpointPercentages()).containsExactly(25, 100);
        assertThat(p.checkpointDelaySeconds()).isEqualTo(3600);
        assertThat(p.xml()).contains("<CheckpointPercentages><member>25</member><member>100</member></CheckpointPercentages>");
    }

    @Test
    void checkpoints_areRefused_whenNotAscending() {
        assertThatThrownBy(() -> RefreshPreferences.fromForm(Map.of(
                "Preferences.CheckpointPercentages.member.1", "50",
                "Preferences.CheckpointPercentages.member.2", "50")))
                .isInstanceOf(RefreshApiException.class)
                .extracting(e -> ((RefreshApiException) e).code()).isEqualTo("ValidationError");
    }

    @Test
    void checkpointDelay_isRefused_withoutCheckpointPercentages() {
        assertThatThrownBy(() -> RefreshPreferences.fromForm(Map.of("Preferences.CheckpointDelay", "10")))
                .isInstanceOf(RefreshApiException.class).hasMessageContaining("CheckpointPercentages");
    }

    @Test
    void minHealthyPercentage_isRefused_outsideZeroToHundred() {
        assertThatThrownBy(() -> RefreshPreferences.fromForm(Map.of("Preferences.MinHealthyPercentage", "101")))
                .isInstanceOf(RefreshApiException.class);
        assertThatThrownBy(() -> RefreshPreferences.fromForm(Map.of("Preferences.MinHealthyPercentage", "abc")))
                .isInstanceOf(RefreshApiException.class);
    }

    @Test
    void floatingVersions_areTheOnesAwsCannotRollBackTo() {
        assertThat(new LaunchTemplateSpec("lt-1", null, "$Latest").floatingVersion()).isTrue();
        assertThat(new LaunchTemplateSpec("lt-1", null, "$Default").floatingVersion()).isTrue();
        assertThat(new LaunchTemplateSpec("lt-1", null, null).floatingVersion()).isTrue();
        assertThat(new LaunchTemplateSpec("lt-1", null, "3").floatingVersion()).isFalse();
    }
}
