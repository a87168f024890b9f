package dev.pipeline.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.loadbalancer.HealthCheckSettings;
import dev.pipeline.provision.network.Peer;
import dev.pipeline.provision.network.SgRule;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static dev.pipeline.drift.DriftFixtures.*;

/** The drift rules on hand-built snapshots: a snapshot equal to the desired state gives nothing, each change its finding. */
class DriftRulesTest {
    @Test
    void inSyncSnapshot_givesNoFindings() {
        DriftRules.Result r = DriftRules.evaluate(want, clean());

        assertThat(r.findings()).isEmpty();
        assertThat(r.notChecked()).isEmpty();
        assertThat(DriftReport.of("vprofile", Instant.EPOCH, r).inSync()).isTrue();
    }

    @Test
    void worldOpenMariaDbRule_onTheBackendGroup_isCritical() {
        Snapshot s = with(clean(), b -> b.group("sg-backend", rules -> rules.add(SgRule.tcpIn(3306, Peer.ANY_IPV4, "oops"))));

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::severity)
                .containsExactly(tuple("sg.rule.world-open", Severity.CRITICAL));
    }

    @Test
    void worldOpenIpv6AllTraffic_isCritical_andAnOrdinaryExtraRuleIsNot() {
        Snapshot s = with(clean(), b -> b.group("sg-app", rules -> {
            rules.add(SgRule.allIn(Peer.ANY_IPV6, null));
            rules.add(SgRule.tcpIn(9000, Peer.cidr("10.0.0.0/8"), null));
        }));

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::severity)
                .containsExactlyInAnyOrder(tuple("sg.rule.world-open", Severity.CRITICAL), tuple("sg.rule.added", Severity.MEDIUM));
    }

    @Test
    void missingDeploymentGroup_isHigh_becauseInPlaceReleasesFail() {
        Snapshot s = with(clean(), b -> b.deploymentGroup = Optional.empty());

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::severity, Finding::resource)
                .containsExactly(tuple("codedeploy.group.missing", Severity.HIGH, "vprofile/vprofile-fleet"));
    }

    @Test
    void deploymentGroupChanged_isFoundPerConcern_withItsSeverity() {
        var g = DriftFixtures.deploymentGroup();
        Snapshot s = with(clean(), b -> b.deploymentGroup = Optional.of(new dev.pipeline.provision.codedeploy.DeploymentGroupView(
                g.application(), g.group(), g.id(), g.serviceRoleArn(), List.of("someone-elses-asg"), List.of(),
                "CodeDeployDefault.AllAtOnce", "IN_PLACE", "WITHOUT_TRAFFIC_CONTROL", false, java.util.Set.of(),
                true, List.of("vprofile-target-5xx"))));

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::severity).containsExactlyInAnyOrder(
                tuple("codedeploy.group.fleet", Severity.HIGH), tuple("codedeploy.group.traffic", Severity.HIGH),
                tuple("codedeploy.group.config", Severity.MEDIUM), tuple("codedeploy.group.rollback", Severity.HIGH));
    }

    @Test
    void deploymentGroupNotRead_checksNothing_andDeniedIsNotChecked() {
        Snapshot notRead = with(clean(), b -> { b.deploymentGroup = Optional.empty(); b.deploymentGroupRead = false; });
        Snapshot denied = with(notRead, b -> b.unreadable.put(Area.CODEDEPLOY, "AccessDeniedException: no"));

        assertThat(DriftRules.evaluate(want, notRead).findings()).isEmpty();
        assertThat(DriftRules.evaluate(want, denied).notChecked()).extracting(NotChecked::area).containsExactly(Area.CODEDEPLOY);
    }

    @Test
    void deletedAlarm_isFound_becauseReleasesAreNoLongerRolledBackOnIt() {
        Snapshot s = with(clean(), b -> b.alarms.get().remove("vprofile-target-5xx"));

        assertThat(DriftRules.evaluate(want, s).findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("alarm.missing");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.resource()).isEqualTo("vprofile-target-5xx");
            assertThat(f.fix()).contains("run provisioning again");
        });
    }

    @Test
    void alarmWhoseThresholdWasLowered_isFound_namingBothValues() {
        // someone let the capacity alarm tolerate one healthy host for a fleet of two
        Snapshot s = with(clean(), b -> b.alarms.get().computeIfPresent("vprofile-healthy-hosts", (k, a) ->
                new dev.pipeline.provision.alarms.AlarmDefinition(a.name(), a.description(), a.namespace(), a.metricName(),
                        a.statistic(), a.dimensions(), a.periodSeconds(), a.evaluationPeriods(), a.datapointsToAlarm(), 1,
                        a.comparisonOperator(), a.treatMissingData())));

        assertThat(DriftRules.evaluate(want, s).findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("alarm.changed");
            assertThat(f.actual()).contains("threshold 1.0 (spec: 2.0)");
        });
    }

    @Test
    void backendRecordWhoseTtlChanged_isFound() {
        // 60 -> 3600: resolvers would keep a replaced backend's old address for an hour
        Snapshot s = with(clean(), b -> b.ttls.put("db01.vprofile.in", 3600L));

        assertThat(DriftRules.evaluate(want, s).findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("dns.record.ttl");
            assertThat(f.resource()).isEqualTo("db01.vprofile.in");
            assertThat(f.expected()).isEqualTo("TTL 60");
            assertThat(f.actual()).isEqualTo("TTL 3600");
        });
    }

    @Test
    void missingRuleAndMissingGroup_areFound() {
        Snapshot s = with(clean(), b -> {
            b.group("sg-backend", rules -> rules.removeIf(r -> r.fromPort() == 11211));
            b.groups.remove("sg-alb");
        });

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::resource)
                .contains(tuple("sg.rule.missing", "vprofile-backend-sg (sg-backend)"), tuple("sg.group.missing", "vprofile-alb-sg (sg-alb)"));
    }

    @Test
    void stoppedTerminatedRetypedAndImdsOptionalBackends_areFound() {
        Snapshot s = with(clean(), b -> {
            b.instance("i-db", i -> new Snapshot.Instance(i.instanceId(), i.component(), "stopped", i.instanceType(), i.httpTokens(), i.privateIp(), i.imageId()));
            b.instance("i-mc", i -> new Snapshot.Instance(i.instanceId(), i.component(), i.state(), "t3.large", "optional", i.privateIp(), i.imageId()));
            b.instance("i-rmq", i -> new Snapshot.Instance(i.instanceId(), i.component(), "terminated", i.instanceType(), i.httpTokens(), null, i.imageId()));
        });

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::severity)
                .containsExactlyInAnyOrder(tuple("instance.stopped", Severity.CRITICAL), tuple("instance.type.changed", Severity.MEDIUM),
                        tuple("instance.imdsv2.optional", Severity.HIGH), tuple("instance.terminated", Severity.CRITICAL));
    }

    @Test
    void recordPointingElsewhere_missingAndExtraRecords_andADetachedZone_areFound() {
        Snapshot s = with(clean(), b -> {
            b.records.put("db01.vprofile.in", "10.40.9.9");
            b.records.remove("mc01.vprofile.in");
            b.records.put("old01.vprofile.in", "10.40.1.1");
            b.zone = Optional.of(new Snapshot.Zone("Z1", "vprofile.in", List.of("vpc-other")));
        });

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::resource, Finding::actual)
                .containsExactlyInAnyOrder(tuple("dns.zone.vpc-detached", "vprofile.in (Z1)", "[vpc-other]"),
                        tuple("dns.record.mismatch", "db01.vprofile.in", "A 10.40.9.9"),
                        tuple("dns.record.missing", "mc01.vprofile.in", "absent"),
                        tuple("dns.record.extra", "old01.vprofile.in", "A 10.40.1.1"));
    }

    @Test
    void replacedInstance_withAStaleRecord_isAMismatchAgainstTheNewIp() {
        Snapshot s = with(clean(), b -> b.instance("i-db", i -> new Snapshot.Instance(i.instanceId(), i.component(), i.state(),
                i.instanceType(), i.httpTokens(), "10.40.2.99", i.imageId())));

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::expected)
                .containsExactly(tuple("dns.record.mismatch", "A 10.40.2.99 (db01's private IP)"));
    }

    @Test
    void loadBalancingChanges_areFound() {
        Snapshot s = with(clean(), b -> {
            Snapshot.TargetGroup tg = b.tg.orElseThrow();
            Map<String, String> attrs = new HashMap<>(tg.attributes());
            attrs.put("stickiness.enabled", "false");
            b.tg = Optional.of(new Snapshot.TargetGroup(tg.arn(), tg.protocol(), tg.port(),
                    new HealthCheckSettings("HTTP", "traffic-port", "/", 15, 5, 3, 2, "200"), attrs));
            b.listeners = List.of(new Snapshot.Listener("l1", 80, "HTTP", "fixed-response", List.of()));
            b.lb = Optional.of(new Snapshot.LoadBalancer(ALB, List.of("sg-alb", "sg-app")));
        });

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id)
                .containsExactlyInAnyOrder("tg.stickiness.off", "tg.healthcheck.changed", "listener.changed", "alb.security-groups.changed");
    }

    @Test
    void stickinessDuration_andMissingListener_areFound() {
        Snapshot s = with(clean(), b -> {
            Snapshot.TargetGroup tg = b.tg.orElseThrow();
            Map<String, String> attrs = new HashMap<>(tg.attributes());
            attrs.put("stickiness.lb_cookie.duration_seconds", "60");
            b.tg = Optional.of(new Snapshot.TargetGroup(tg.arn(), tg.protocol(), tg.port(), tg.healthCheck(), attrs));
            b.listeners = List.of();
        });

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::severity)
                .containsExactlyInAnyOrder(tuple("tg.stickiness.duration", Severity.LOW), tuple("listener.missing", Severity.CRITICAL));
    }

    @Test
    void fleetChanges_areFound_comparingImagesNotVersionNumbers() {
        Snapshot s = with(clean(), b -> b.group = Optional.of(new Snapshot.Group("vprofile-asg", 1, 2, 9, List.of(), "EC2",
                "lt-1", "2", Map.of("i-app1", GOLDEN, "i-app2", "ami-0000000000000old"))));

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::resource)
                .containsExactlyInAnyOrder(tuple("asg.capacity.changed", "vprofile-asg"), tuple("asg.tg.detached", "vprofile-asg"),
                        tuple("asg.healthcheck.type", "vprofile-asg"), tuple("asg.launch-template.version", "vprofile-asg"),
                        tuple("asg.instance.image", "vprofile-asg i-app2"));
    }

    @Test
    void launchTemplateDefaultWithImdsOptionalAndPlainVolumes_isFound() {
        Snapshot s = with(clean(), b -> {
            b.lt = Optional.of(new Snapshot.LaunchTemplate("lt-1", 2, GOLDEN, "optional", false, 1));
            b.group = Optional.of(new Snapshot.Group("vprofile-asg", 1, 2, 4, List.of(TG), "ELB", "lt-1", "2",
                    Map.of("i-app1", GOLDEN)));
        });

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::severity)
                .containsExactlyInAnyOrder(tuple("lt.imdsv2.optional", Severity.HIGH), tuple("lt.ebs.unencrypted", Severity.HIGH));
    }

    @Test
    void bucketSettingsAndAGoneImage_areFound() {
        Snapshot s = with(clean(), b -> {
            b.bucket = Optional.of(new Snapshot.Bucket("vprofile-artifacts", "Suspended", null, false));
            b.image = Optional.empty();
        });

        assertThat(DriftRules.evaluate(want, s).findings()).extracting(Finding::id, Finding::severity)
                .containsExactlyInAnyOrder(tuple("bucket.versioning.off", Severity.HIGH), tuple("bucket.encryption.off", Severity.HIGH),
                        tuple("bucket.public-access.open", Severity.CRITICAL), tuple("image.missing", Severity.HIGH));
    }

    @Test
    void unreadableArea_isNotChecked_andTheRestIsStillChecked() {
        Snapshot s = with(clean(), b -> {
            b.unreadable.put(Area.TARGET_GROUP, "AccessDenied: denied");
            b.tg = Optional.empty();
            b.instance("i-db", i -> new Snapshot.Instance(i.instanceId(), i.component(), "stopped", i.instanceType(), i.httpTokens(), i.privateIp(), i.imageId()));
        });

        DriftRules.Result r = DriftRules.evaluate(want, s);

        assertThat(r.notChecked()).extracting(NotChecked::area, NotChecked::reason)
                .containsExactly(tuple(Area.TARGET_GROUP, "AccessDenied: denied"));
        assertThat(r.findings()).extracting(Finding::id).containsExactly("instance.stopped");
        assertThat(DriftReport.of("vprofile", Instant.EPOCH, r).summary()).contains("not checked: vprofile-tg (AccessDenied: denied)");
    }

    @Test
    void sameDrift_givesTheSameKeys_soTheNotificationIsNotRepeated() {
        Snapshot s = with(clean(), b -> b.instance("i-db", i -> new Snapshot.Instance(i.instanceId(), i.component(), "stopped",
                i.instanceType(), i.httpTokens(), i.privateIp(), i.imageId())));

        DriftReport first = DriftReport.of("vprofile", Instant.EPOCH, DriftRules.evaluate(want, s));
        DriftReport second = DriftReport.of("vprofile", Instant.EPOCH.plusSeconds(3600), DriftRules.evaluate(want, s));

        assertThat(second.keys()).isEqualTo(first.keys()).containsExactly("instance.stopped db01 (i-db)");
    }
}
