package dev.pipeline.local.elb;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Matcher.HttpCode in its three documented forms, and AWS's default of 200. */
class SuccessCodesTest {
    @Test
    void defaultIs200Only() {
        SuccessCodes c = SuccessCodes.parse(null);
        assertThat(c.matches(200)).isTrue();
        assertThat(c.matches(204)).isFalse();
        assertThat(c.matches(302)).isFalse();
    }

    @Test
    void listsAndRanges() {
        assertThat(SuccessCodes.parse("200,202").matches(202)).isTrue();
        assertThat(SuccessCodes.parse("200,202").matches(201)).isFalse();
        assertThat(SuccessCodes.parse("200-299").matches(250)).isTrue();
        assertThat(SuccessCodes.parse("200-299").matches(300)).isFalse();
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> SuccessCodes.parse("ok")).hasMessageContaining("ok");
    }
}
