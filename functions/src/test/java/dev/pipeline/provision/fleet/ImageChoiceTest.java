package dev.pipeline.provision.fleet;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ImageChoiceTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final ImageView GOLDEN = image("ami-golden", T0, "golden-ami", "vprofile");

    @Test
    void choose_golden_whenTheTemplateIsNew() {
        assertThat(ImageChoice.choose("vprofile", GOLDEN, Optional.empty())).isEqualTo(new ImageChoice("ami-golden", false));
    }

    @Test
    void choose_theDeployedRelease_whenItIsOursAndNotOlder() {
        ImageView release = image("ami-release", T0.plusSeconds(3600), "release-ami", "vprofile");
        assertThat(ImageChoice.choose("vprofile", GOLDEN, Optional.of(release))).isEqualTo(new ImageChoice("ami-release", true));
        ImageView sameSecond = image("ami-release", T0, "release-ami", "vprofile");
        assertThat(ImageChoice.choose("vprofile", GOLDEN, Optional.of(sameSecond)).keptRelease()).isTrue();
    }

    @Test
    void choose_golden_whenTheReleaseIsStale_orNotOurs_orNotARelease() {
        assertThat(ImageChoice.choose("vprofile", GOLDEN,
                Optional.of(image("ami-old", T0.minusSeconds(60), "release-ami", "vprofile"))).imageId()).isEqualTo("ami-golden");
        assertThat(ImageChoice.choose("vprofile", GOLDEN,
                Optional.of(image("ami-other", T0.plusSeconds(60), "release-ami", "staging"))).imageId()).isEqualTo("ami-golden");
        assertThat(ImageChoice.choose("vprofile", GOLDEN,
                Optional.of(image("ami-hand", T0.plusSeconds(60), null, "vprofile"))).imageId()).isEqualTo("ami-golden");
    }

    private static ImageView image(String id, Instant created, String component, String env) {
        Map<String, String> tags = component == null ? Map.of("pipeline:environment", env)
                : Map.of("pipeline:environment", env, "pipeline:component", component);
        return new ImageView(id, created, "/dev/xvda", 8, "available", tags);
    }
}
