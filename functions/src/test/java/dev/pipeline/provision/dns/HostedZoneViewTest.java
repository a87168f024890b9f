package dev.pipeline.provision.dns;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HostedZoneViewTest {

    @Test
    void zone_isOurs_whenTaggedWithTheEnvironment() {
        var zone = new HostedZoneView("Z1", "vprofile.in.", true, "made by hand", Map.of("pipeline:environment", "vprofile"));

        assertThat(zone.ownedBy("vprofile")).isTrue();
        assertThat(zone.ownedBy("staging")).isFalse();
    }

    @Test
    void zone_isOurs_whileUntagged_whenItCarriesTheCreationMarker() {
        var zone = new HostedZoneView("Z1", "vprofile.in.", true, HostedZoneView.marker("vprofile"), Map.of());

        assertThat(zone.ownedBy("vprofile")).isTrue();
        assertThat(zone.ownedBy("vprofile2")).isFalse();
    }

    @Test
    void zone_isNotOurs_whenATagNamesAnotherEnvironment_whateverTheComment() {
        var zone = new HostedZoneView("Z1", "vprofile.in.", true, HostedZoneView.marker("vprofile"),
                Map.of("pipeline:environment", "staging"));

        assertThat(zone.ownedBy("vprofile")).isFalse();
    }

    @Test
    void zone_isNeverOurs_whenPublic() {
        var zone = new HostedZoneView("Z1", "vprofile.in.", false, null, Map.of("pipeline:environment", "vprofile"));

        assertThat(zone.ownedBy("vprofile")).isFalse();
    }
}
