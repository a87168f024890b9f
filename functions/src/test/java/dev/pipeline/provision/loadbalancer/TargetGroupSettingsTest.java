package dev.pipeline.provision.loadbalancer;

import dev.pipeline.spec.HealthCheck;
import dev.pipeline.spec.LoadBalancer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TargetGroupSettingsTest {
    static final HealthCheck HC = new HealthCheck("/login", 15, 5, 3, 2, "200");

    @Test
    void attributes_areLbCookieStickinessForTheSpecsDuration_andAShortDrain() {
        assertThat(TargetGroupSettings.attributes(new LoadBalancer(Optional.empty(), 3600, HC))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "stickiness.enabled", "true", "stickiness.type", "lb_cookie",
                "stickiness.lb_cookie.duration_seconds", "3600", "deregistration_delay.timeout_seconds", "30"));
    }

    @Test
    void healthCheck_checksTheSpecsPageOnTheTrafficPort() {
        HealthCheckSettings s = HealthCheckSettings.of(HC);
        assertThat(s).isEqualTo(new HealthCheckSettings("HTTP", "traffic-port", "/login", 15, 5, 3, 2, "200"));
    }

    @Test
    void conflict_namesTheSeedsPortMistake_whenTargetGroupSendsToPort80() {
        TargetGroupView tg = view("HTTP", 80, "vpc-1", "instance");
        assertThat(TargetGroupSettings.conflict(tg, "vpc-1")).get().asString().contains("port 80").contains("8080");
    }

    @Test
    void conflict_isEmpty_forTheRightGroup_andNamesOtherVpcsAndTargetTypes() {
        assertThat(TargetGroupSettings.conflict(view("HTTP", 8080, "vpc-1", "instance"), "vpc-1")).isEmpty();
        assertThat(TargetGroupSettings.conflict(view("HTTP", 8080, "vpc-2", "instance"), "vpc-1")).get().asString().contains("vpc-2");
        assertThat(TargetGroupSettings.conflict(view("HTTP", 8080, "vpc-1", "ip"), "vpc-1")).get().asString().contains("ip");
    }

    private static TargetGroupView view(String protocol, int port, String vpc, String type) {
        return new TargetGroupView("arn", "vprofile-tg", protocol, port, vpc, type, HealthCheckSettings.of(HC), Map.of(), Map.of(), List.of());
    }
}
