package dev.pipeline.functions;

import dev.pipeline.provision.notify.Notification;
import dev.pipeline.provision.notify.NotifyInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Subjects SNS would refuse ("less than 100 characters", no line breaks or control characters) are never produced. */
class SnsSubjectTest {

    @Test
    void aSubjectOf100Characters_isCutBelowTheLimit() {
        String s = SnsSubject.fit("x".repeat(100));

        assertThat(s.codePointCount(0, s.length())).isEqualTo(99);
        assertThat(s).endsWith("…");
    }

    @Test
    void aCut_neverSplitsASurrogatePair() {
        String s = SnsSubject.fit("a" + "😀".repeat(120));

        assertThat(s.codePointCount(0, s.length())).isLessThan(SnsSubject.LIMIT);
        assertThat(s.chars().filter(c -> Character.isSurrogate((char) c)).count() % 2).isZero();
        assertThat(Character.isHighSurrogate(s.charAt(s.length() - 2))).isFalse();
    }

    @Test
    void lineBreaksAndControlCharacters_becomeSpaces_andShortSubjectsStayAsTheyAre() {
        assertThat(SnsSubject.fit("release\nreleases/app.war\tFAILED")).isEqualTo("release releases/app.war FAILED");
        assertThat(SnsSubject.fit("[vprofile] provision SUCCEEDED")).isEqualTo("[vprofile] provision SUCCEEDED");
        assertThat(SnsSubject.fit("  ")).isEqualTo("(no subject)");
    }

    @Test
    void aNotificationOfALongStageName_hasASubjectSnsAccepts() {
        Notification n = Notification.of(new NotifyInput("provision", "FAILED", null, "S".repeat(90), null, null));

        assertThat(n.subject().codePointCount(0, n.subject().length())).isLessThan(SnsSubject.LIMIT);
    }
}
