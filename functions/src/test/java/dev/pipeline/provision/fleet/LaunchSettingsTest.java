package dev.pipeline.provision.fleet;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchSettingsTest {
    static final LaunchSettings.RootVolume ROOT = new LaunchSettings.RootVolume("/dev/xvda", 8, "gp3", true, true);

    @Test
    void equal_whenOnlyTheOrderOfSecurityGroupsOrTagsDiffers() {
        LaunchSettings a = settings("ami-1", List.of("sg-a", "sg-b"), Map.of("a", "1", "b", "2"));
        LaunchSettings b = settings("ami-1", List.of("sg-b", "sg-a"), new java.util.LinkedHashMap<>(Map.of("b", "2", "a", "1")));
        assertThat(a).isEqualTo(b);
        assertThat(a.differences(b)).isEmpty();
    }

    @Test
    void differences_nameWhatChanged() {
        LaunchSettings a = settings("ami-1", List.of("sg-a"), Map.of("a", "1"));
        LaunchSettings b = settings("ami-2", List.of("sg-a"), Map.of("a", "2"));
        assertThat(a.differences(b)).containsExactly("image", "instance tags", "volume tags");
    }

    @Test
    void withImage_followsTheImagesRootDevice() {
        LaunchSettings a = settings("ami-1", List.of("sg-a"), Map.of());
        LaunchSettings b = a.withImage(new ImageView("ami-ubuntu", null, "/dev/sda1", 16, "available", Map.of()));
        assertThat(b.imageId()).isEqualTo("ami-ubuntu");
        assertThat(b.rootVolume()).isEqualTo(new LaunchSettings.RootVolume("/dev/sda1", 16, "gp3", true, true));
        assertThat(a.differences(b)).containsExactly("image", "root volume");
    }

    private static LaunchSettings settings(String image, List<String> groups, Map<String, String> tags) {
        return new LaunchSettings(image, "t3.small", groups, "profile", "required", "enabled", 1, ROOT, tags, tags);
    }
}
