package dev.pipeline.provision.image;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GoldenImagesTest {

    private static ImageView image(String id, String state, String created) {
        return new ImageView(id, "vprofile-golden-x", state, created, List.of(), null, Map.of());
    }

    @Test
    void decide_creates_whenThereIsNoImage() {
        assertThat(GoldenImages.decide(List.of())).isEqualTo(new GoldenImages.Create());
    }

    @Test
    void decide_waits_whilePending() {
        ImageView pending = image("ami-1", "pending", "2025-01-01T00:00:00.000Z");

        assertThat(GoldenImages.decide(List.of(pending))).isEqualTo(new GoldenImages.Wait(pending));
    }

    @Test
    void decide_usesAvailable_overPendingAndFailed() {
        ImageView available = image("ami-2", "available", "2025-01-01T00:00:00.000Z");

        assertThat(GoldenImages.decide(List.of(image("ami-1", "failed", "2025-01-02T00:00:00.000Z"), available,
                image("ami-3", "pending", "2025-01-03T00:00:00.000Z")))).isEqualTo(new GoldenImages.Use(available));
    }

    @Test
    void decide_picksTheNewestAvailable_soEveryCallAgrees() {
        ImageView older = image("ami-1", "available", "2025-01-01T00:00:00.000Z");
        ImageView newer = image("ami-2", "available", "2025-01-02T00:00:00.000Z");

        assertThat(GoldenImages.decide(List.of(newer, older))).isEqualTo(new GoldenImages.Use(newer));
        assertThat(GoldenImages.decide(List.of(older, newer))).isEqualTo(new GoldenImages.Use(newer));
    }

    @Test
    void decide_reportsBroken_whenOnlyAFailedImageExists() {
        ImageView failed = image("ami-1", "failed", "2025-01-01T00:00:00.000Z");

        assertThat(GoldenImages.decide(List.of(failed))).isEqualTo(new GoldenImages.Broken(failed));
    }

    @Test
    void decide_creates_whenTheOnlyImageIsDeregistered() {
        assertThat(GoldenImages.decide(List.of(image("ami-1", "deregistered", "2025-01-01T00:00:00.000Z"))))
                .isEqualTo(new GoldenImages.Create());
    }

    @Test
    void name_isTheSameForTheSameApp01_andAValidAmiName() {
        Instant launched = Instant.parse("2025-03-04T05:06:07.890Z");

        String name = GoldenImages.name("vprofile", launched);

        assertThat(name).isEqualTo("vprofile-golden-20250304T050607Z").isEqualTo(GoldenImages.name("vprofile", launched));
        // AWS: 3-128 characters of letters, digits, ( ) [ ] space . / - ' @ _
        assertThat(name).hasSizeBetween(3, 128).matches("[A-Za-z0-9()\\[\\] ./\\-'@_]+");
    }
}
