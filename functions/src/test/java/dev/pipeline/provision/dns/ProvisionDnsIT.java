package dev.pipeline.provision.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.twist.Twists;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Tag;
import software.amazon.awssdk.services.route53.model.TagResourceType;
import software.amazon.awssdk.services.route53.model.VPC;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class ProvisionDnsIT {

    @Test
    void provision_createsPrivateZoneOnTheVpc_withAnARecordPerBackend(LocalCloud cloud, Ec2Client ec2, Route53Client route53) {
        LandingZone zone = LandingZone.create(cloud);
        Backends backends = Backends.launch(ec2, zone);

        JsonNode out = StageHarness.invoke(handler(zone, cloud), state(zone, backends));

        String zoneId = out.get("zoneId").asText();
        var hosted = route53.getHostedZone(b -> b.id(zoneId));
        assertThat(hosted.hostedZone().name()).isEqualTo("vprofile.in.");
        assertThat(hosted.hostedZone().config().privateZone()).isTrue();
        assertThat(hosted.vpCs()).extracting(VPC::vpcId).containsExactly(zone.vpcId());
        assertThat(tags(route53, zoneId)).containsEntry("pipeline:environment", "vprofile")
                .containsEntry("pipeline:component", "zone").containsEntry("Name", "vprofile-zone")
                .containsEntry("project", "vprofile");
        assertThat(aRecords(route53, zoneId)).containsOnly(
                Map.entry("db01.vprofile.in.", List.of(backends.ip("db01"))),
                Map.entry("mc01.vprofile.in.", List.of(backends.ip("mc01"))),
                Map.entry("rmq01.vprofile.in.", List.of(backends.ip("rmq01"))));
        assertThat(records(route53, zoneId)).filteredOn(r -> r.type() == RRType.A).extracting(ResourceRecordSet::ttl)
                .containsOnly(60L);
        assertThat(out.get("zoneName").asText()).isEqualTo("vprofile.in");
        assertThat(out.get("records").get("db01.vprofile.in").asText()).isEqualTo(backends.ip("db01"));
    }

    @Test
    void provision_reusesZoneAndRecords_whenRunAgainByAnotherExecution(LocalCloud cloud, Ec2Client ec2, Route53Client route53) {
        LandingZone zone = LandingZone.create(cloud);
        Backends backends = Backends.launch(ec2, zone);
        String first = StageHarness.invoke(handler(zone, cloud), state(zone, backends)).get("zoneId").asText();
        List<ResourceRecordSet> before = records(route53, first);

        String second = StageHarness.invoke(handler(zone, cloud), state(zone, backends)).get("zoneId").asText();

        assertThat(second).isEqualTo(first);
        assertThat(zonesNamed(route53, "vprofile.in.")).hasSize(1);
        assertThat(records(route53, first)).hasSameSizeAs(before).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void provision_pointsTheRecordAtTheNewAddress_whenABackendWasReplaced(LocalCloud cloud, Ec2Client ec2, Route53Client route53) {
        LandingZone zone = LandingZone.create(cloud);
        Backends backends = Backends.launch(ec2, zone);
        String zoneId = StageHarness.invoke(handler(zone, cloud), state(zone, backends)).get("zoneId").asText();
        String oldIp = backends.ip("db01");

        String newIp = backends.replace(ec2, zone, "db01");
        JsonNode out = StageHarness.invoke(handler(zone, cloud), state(zone, backends));

        assertThat(newIp).isNotEqualTo(oldIp);
        assertThat(aRecords(route53, zoneId)).containsEntry("db01.vprofile.in.", List.of(newIp))
                .containsEntry("mc01.vprofile.in.", List.of(backends.ip("mc01")))
                .hasSize(3);
        assertThat(out.get("records").get("db01.vprofile.in").asText()).isEqualTo(newIp);
    }

    @Test
    void provision_removesARecordsOfHostsItDoesNotHave_andKeepsOtherRecordTypes(LocalCloud cloud, Ec2Client ec2, Route53Client route53) {
        LandingZone zone = LandingZone.create(cloud);
        Backends backends = Backends.launch(ec2, zone);
        String zoneId = StageHarness.invoke(handler(zone, cloud), state(zone, backends)).get("zoneId").asText();
        change(route53, zoneId, ChangeAction.CREATE, "old01.vprofile.in.", RRType.A, "10.40.10.250");
        change(route53, zoneId, ChangeAction.CREATE, "wiki.vprofile.in.", RRType.CNAME, "wiki.example.com");
        // Route 53 would store this as db01 (names are case-insensitive); moto keeps it as a second record set.
        change(route53, zoneId, ChangeAction.CREATE, "DB01.vprofile.in.", RRType.A, "10.40.10.251");

        StageHarness.invoke(handler(zone, cloud), state(zone, backends));

        assertThat(aRecords(route53, zoneId)).containsOnly(
                Map.entry("db01.vprofile.in.", List.of(backends.ip("db01"))),
                Map.entry("mc01.vprofile.in.", List.of(backends.ip("mc01"))),
                Map.entry("rmq01.vprofile.in.", List.of(backends.ip("rmq01"))));
        assertThat(records(route53, zoneId)).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("wiki.vprofile.in.");
            assertThat(r.type()).isEqualTo(RRType.CNAME);
        });
    }

    @Test
    void provision_refuses_whenTheVpcAlreadyHasAZoneOfThatNameItDidNotMake(LocalCloud cloud, Ec2Client ec2, Route53Client route53) {
        LandingZone zone = LandingZone.create(cloud);
        Backends backends = Backends.launch(ec2, zone);
        String theirs = bare(route53.createHostedZone(b -> b.name("vprofile.in").callerReference("made-by-hand")
                .vpc(v -> v.vpcId(zone.vpcId()).vpcRegion(LocalCloud.REGION))
                .hostedZoneConfig(c -> c.privateZone(true).comment("ops"))).hostedZone().id());

        assertThatThrownBy(() -> StageHarness.invoke(handler(zone, cloud), state(zone, backends)))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("vprofile.in").hasMessageContaining(theirs).hasMessageContaining("not made by this pipeline");
        assertThat(aRecords(route53, theirs)).isEmpty();
        assertThat(tags(route53, theirs)).isEmpty();
        assertThat(zonesNamed(route53, "vprofile.in.")).hasSize(1);
    }

    @Test
    void provision_adoptsAndTagsTheZone_whenAnEarlierAttemptDiedBeforeTaggingIt(LocalCloud cloud, Ec2Client ec2, Route53Client route53) {
        LandingZone zone = LandingZone.create(cloud);
        Backends backends = Backends.launch(ec2, zone);
        ObjectNode state = state(zone, backends);
        Run run = new Run(state.get("run").get("token").asText(), 1, null, null);
        // What CreateHostedZone leaves when the Lambda dies before ChangeTagsForResource.
        String orphan = bare(route53.createHostedZone(b -> b.name("vprofile.in").callerReference(run.tokenFor("zone"))
                .vpc(v -> v.vpcId(zone.vpcId()).vpcRegion(LocalCloud.REGION))
                .hostedZoneConfig(c -> c.privateZone(true).comment(HostedZoneView.marker("vprofile")))).hostedZone().id());

        JsonNode out = StageHarness.invoke(handler(zone, cloud), state);

        assertThat(out.get("zoneId").asText()).isEqualTo(orphan);
        assertThat(zonesNamed(route53, "vprofile.in.")).hasSize(1);
        assertThat(tags(route53, orphan)).containsEntry("pipeline:environment", "vprofile");
        assertThat(aRecords(route53, orphan)).hasSize(3);
    }

    @Test
    void provision_findsItsZoneAgain_whenARetryCannotSeeItYetAndTheCallerReferenceIsSpent(LocalCloud cloud, Ec2Client ec2, Route53Client route53) {
        LandingZone zone = LandingZone.create(cloud);
        Backends backends = Backends.launch(ec2, zone);
        ObjectNode state = state(zone, backends);
        String first = StageHarness.invoke(handler(zone, cloud), state).get("zoneId").asText();
        // The Lambda's retry lists the VPC's zones before Route 53 shows the new one there (eventual consistency),
        // so it tries CreateHostedZone again with the same caller reference.
        Twists.on(cloud).once("route53", "ListHostedZonesByVPC", (request, moto) -> {
            GatewayResponse r = moto.forward(request);
            return r.withBody(r.bodyText().replaceAll("(?s)<HostedZoneSummary>.*?</HostedZoneSummary>", ""));
        });

        String retried = StageHarness.invoke(handler(zone, cloud), state).get("zoneId").asText();

        assertThat(retried).isEqualTo(first);
        assertThat(zonesNamed(route53, "vprofile.in.")).hasSize(1);
        assertThat(cloud.count("route53", "CreateHostedZone")).as("the retry did try to create, and was refused").isEqualTo(2);
        assertThat(aRecords(route53, first)).hasSize(3);
    }

    static ProvisionDnsHandler handler(LandingZone zone, LocalCloud cloud) {
        return new ProvisionDnsHandler(zone.functionEnvironment(cloud, "ProvisionDnsFunction"));
    }

    static ObjectNode state(LandingZone zone, Backends backends) {
        ObjectNode state = StageHarness.state(zone.spec());
        state.set("backends", backends.json());
        return state;
    }

    static List<ResourceRecordSet> records(Route53Client route53, String zoneId) {
        return route53.listResourceRecordSetsPaginator(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream().toList();
    }

    /** A record sets by name, each with its values. */
    static Map<String, List<String>> aRecords(Route53Client route53, String zoneId) {
        return records(route53, zoneId).stream().filter(r -> r.type() == RRType.A).collect(Collectors.toMap(
                ResourceRecordSet::name, r -> r.resourceRecords().stream().map(ResourceRecord::value).toList()));
    }

    static Map<String, String> tags(Route53Client route53, String zoneId) {
        return route53.listTagsForResource(b -> b.resourceType(TagResourceType.HOSTEDZONE).resourceId(zoneId))
                .resourceTagSet().tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    static List<HostedZone> zonesNamed(Route53Client route53, String name) {
        return route53.listHostedZonesPaginator().hostedZones().stream().filter(z -> z.name().equals(name)).toList();
    }

    static void change(Route53Client route53, String zoneId, ChangeAction action, String name, RRType type, String value) {
        route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(ch -> ch.action(action)
                .resourceRecordSet(r -> r.name(name).type(type).ttl(300L).resourceRecords(rr -> rr.value(value))))));
    }

    static String bare(String id) {
        return id.substring(id.lastIndexOf('/') + 1);
    }
}
