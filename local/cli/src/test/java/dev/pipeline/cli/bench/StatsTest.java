package dev.pipeline.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsTest {

    @Test
    void median_ofOddAndEvenCounts_ignoresInputOrder() {
        assertThat(new Stats(List.of(9.0, 1.0, 5.0)).median()).isEqualTo(5.0);
        assertThat(new Stats(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
    }

    @Test
    void p95_isNearestRank() {
        List<Double> hundred = new ArrayList<>();
        for (int i = 100; i >= 1; i--) hundred.add((double) i);

        assertThat(new Stats(hundred).p95()).isEqualTo(95.0);
        assertThat(new Stats(List.of(1.0, 2.0, 3.0)).p95()).isEqualTo(3.0);
        assertThat(new Stats(hundred).min()).isEqualTo(1.0);
        assertThat(new Stats(hundred).max()).isEqualTo(100.0);
    }

    @Test
    void ofNanos_convertsToMillis_andEmptyIsRejected() {
        assertThat(Stats.ofNanos(List.of(2_500_000L)).median()).isEqualTo(2.5);
        assertThatThrownBy(() -> new Stats(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void format_keepsAboutThreeFigures() {
        assertThat(Stats.format(4.321)).isEqualTo("4.32 ms");
        assertThat(Stats.format(43.21)).isEqualTo("43.2 ms");
        assertThat(Stats.format(712.4)).isEqualTo("712 ms");
        assertThat(Stats.format(1420)).isEqualTo("1.42 s");
    }
}
