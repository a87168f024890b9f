package dev.pipeline.provision.verify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SiteAnswerTest {

    @Test
    void successCodes_matchElbMatcherSyntax() {
        assertThat(new SuccessCodes("200").matches(200)).isTrue();
        assertThat(new SuccessCodes("200").matches(302)).isFalse();
        assertThat(new SuccessCodes("200,302").matches(302)).isTrue();
        assertThat(new SuccessCodes("200-299").matches(204)).isTrue();
        assertThat(new SuccessCodes("200-299").matches(301)).isFalse();
    }

    @Test
    void judge_acceptsTheHealthPagesCodes_overPlainHttp() {
        SuccessCodes codes = new SuccessCodes("200");
        assertThat(VerifyEnvironmentService.judge(new SiteProbe.Answer(200, null, null), false, codes)).isNull();
        assertThat(VerifyEnvironmentService.judge(new SiteProbe.Answer(502, null, null), false, codes)).isEqualTo("answered 502, expected 200");
        assertThat(VerifyEnvironmentService.judge(SiteProbe.Answer.failed("timeout"), false, codes)).isEqualTo("failed: timeout");
    }

    @Test
    void judge_wantsARedirectToHttps_whenHttpsIsOn() {
        SuccessCodes codes = new SuccessCodes("200");
        assertThat(VerifyEnvironmentService.judge(new SiteProbe.Answer(301, "https://x/login", null), true, codes)).isNull();
        assertThat(VerifyEnvironmentService.judge(new SiteProbe.Answer(200, null, null), true, codes)).contains("expected a redirect");
    }
}
