package dev.pipeline.drift;

import dev.pipeline.provision.loadbalancer.HealthCheckSettings;
import dev.pipeline.provision.network.Peer;
import dev.pipeline.provision.network.SgRule;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pipeline.drift.DriftFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Which drift --fix repairs (the safe set) and which it leaves reported. */
class FixPlanTest {

    @Test
    void inSyncSnapshot_needsNoFix() {
        assertThat(FixPlan.of(want, clean()).isEmpty()).isTrue();
    }

    @Test
    void safeDrift_getsOneRepairEach() {
        Snapshot s = with(clean(), b -> {
            b.group("sg-backend", rules -> {
                rules.removeIf(r -> r.fromPort() == 11211);
                rules.add(SgRule.tcpIn(3306, Peer.ANY_IPV4, null));
            });
            b.records.put("db01.vprofile.in", "10.40.9.9");
            Snapshot.TargetGroup tg = b.tg.orElseThrow();
            Map<String, String> attrs = new HashMap<>(tg.attributes());
            attrs.put("stickiness.enabled", "false");
            b.tg = Optional.of(new Snapshot.TargetGroup(tg.arn(), tg.protocol(), tg.port(),
                    new HealthCheckSettings("HTTP", "traffic-port", "/", 15, 5, 3, 2, "200"), attrs));
            b.group = Optional.of(new Snapshot.Group("vprofile-asg", 1, 2, 4, List.of(), "ELB", "lt-1", "1", Map.of()));
            b.lt = Optional.of(new Snapshot.LaunchTemplate("lt-1", 2, GOLDEN, "optional", true, 1));
        });

        List<Fix> fixes = FixPlan.of(want, s).fixes();

        assertThat(fixes).extracting(Fix::findingId).containsExactlyInAnyOrder("sg.rule.missing", "sg.rule.world-open",
                "dns.record.mismatch", "tg.healthcheck.changed", "asg.tg.detached", "lt.imdsv2.optional");
        assertThat(fixes).filteredOn(f -> f instanceof Fix.UpsertRecord).extracting(Fix::describe)
                .containsExactly("UPSERT db01.vprofile.in A 10.40.2.10 TTL 60");
        assertThat(fixes).filteredOn(f -> f instanceof Fix.RestoreTargetGroup).singleElement()
                .satisfies(f -> assertThat(((Fix.RestoreTargetGroup) f).attributes()).containsEntry("stickiness.enabled", "true"));
        assertThat(fixes).filteredOn(f -> f instanceof Fix.RestoreDefaultVersion).extracting(Fix::describe)
                .containsExactly("make version 1 (the one the group runs) the default of lt-1");
    }

    @Test
    void unsafeDrift_isLeftForAPerson() {
        Snapshot s = with(clean(), b -> {
            b.instance("i-db", i -> new Snapshot.Instance(i.instanceId(), i.component(), "stopped", i.instanceType(), i.httpTokens(), i.privateIp(), i.imageId()));
            b.instance("i-rmq", i -> new Snapshot.Instance(i.instanceId(), i.component(), "terminated", i.instanceType(), i.httpTokens(), null, i.imageId()));
            b.group("sg-app", rules -> rules.add(SgRule.tcpIn(8080, Peer.cidr("10.0.0.0/8"), null)));
            b.records.put("old01.vprofile.in", "10.40.1.1");
            b.bucket = Optional.of(new Snapshot.Bucket("vprofile-artifacts", "Suspended", "AES256", true));
            b.group = Optional.of(new Snapshot.Group("vprofile-asg", 1, 2, 9, List.of(TG), "ELB", "lt-1", "1", Map.of()));
        });

        assertThat(FixPlan.of(want, s).fixes()).as("no start, terminate, delete, app-group or capacity change").isEmpty();
    }

    @Test
    void worldOpenRulesTheSpecDoesNotHave_areRevoked_onEveryGroup_butNotTheLoadBalancersOwn() {
        Snapshot s = with(clean(), b -> {
            b.group("sg-app", rules -> rules.add(SgRule.tcpIn(8080, Peer.ANY_IPV4, null)));
            b.group("sg-alb", rules -> rules.add(SgRule.tcpIn(8443, Peer.ANY_IPV6, null)));
            b.group("sg-backend", rules -> rules.add(SgRule.allIn(Peer.ANY_IPV4, null)));
        });

        List<Fix> fixes = FixPlan.of(want, s).fixes();

        assertThat(fixes).allMatch(f -> f instanceof Fix.RevokeRule).extracting(f -> ((Fix.RevokeRule) f).groupId())
                .containsExactlyInAnyOrder("sg-app", "sg-alb", "sg-backend");
        // the load balancer's own world-open 80 is in the spec: not among them (one revoke per group above)
    }

    @Test
    void backendRecordWithAChangedTtl_isUpsertedBackToSixtySeconds() {
        Snapshot s = with(clean(), b -> b.ttls.put("mc01.vprofile.in", 3600L));

        assertThat(FixPlan.of(want, s).fixes()).extracting(Fix::describe).containsExactly("UPSERT mc01.vprofile.in A 10.40.2.11 TTL 60");
    }

    @Test
    void unreadableArea_isNotTouched() {
        Snapshot s = with(clean(), b -> {
            b.records.put("db01.vprofile.in", "10.40.9.9");
            b.unreadable.put(Area.INSTANCES, "AccessDenied");
        });

        assertThat(FixPlan.of(want, s).fixes()).isEmpty();
    }
}
