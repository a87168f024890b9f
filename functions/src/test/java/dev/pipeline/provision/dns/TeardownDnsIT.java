package dev.pipeline.provision.dns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.RRType;

import static dev.pipeline.provision.dns.ProvisionDnsIT.bare;
import static dev.pipeline.provision.dns.ProvisionDnsIT.change;
import static dev.pipeline.provision.dns.ProvisionDnsIT.zonesNamed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class TeardownDnsIT {

    @Test
    void teardown_deletesRecordsAndZone_andIsHarmlessTwice(LocalCloud cloud, Ec2Client ec2, Route53Client route53) {
        LandingZone zone = LandingZone.create(cloud);
        String zoneId = StageHarness.invoke(ProvisionDnsIT.handler(zone, cloud),
                ProvisionDnsIT.state(zone, Backends.launch(ec2, zone))).get("zoneId").asText();
        change(route53, zoneId, ChangeAction.CREATE, "wiki.vprofile.in.", RRType.CNAME, "wiki.example.com");
        change(route53, zoneId, ChangeAction.CREATE, "lab.vprofile.in.", RRType.NS, "ns.lab.example.com");
        TeardownDnsHandler teardown = new TeardownDnsHandler(zone.functionEnvironment(cloud, "TeardownDnsFunction"));

        JsonNode first = StageHarness.invoke(teardown, StageHarness.state(zone.spec()));
        JsonNode second = StageHarness.invoke(teardown, StageHarness.state(zone.spec()));

        assertThat(first.get("ready").asBoolean()).isTrue();
        assertThat(first.get("deleted")).extracting(JsonNode::asText).containsExactly(zoneId);
        assertThatThrownBy(() -> route53.getHostedZone(b -> b.id(zoneId))).isInstanceOf(NoSuchHostedZoneException.class);
        assertThat(zonesNamed(route53, "vprofile.in.")).isEmpty();
        assertThat(second.get("ready").asBoolean()).isTrue();
        assertThat(second.get("deleted")).isEmpty();
    }

    @Test
    void teardown_leavesZonesOfTheSameNameThatAreNotThisEnvironments(LocalCloud cloud, Ec2Client ec2, Route53Client route53) {
        LandingZone zone = LandingZone.create(cloud);
        StageHarness.invoke(ProvisionDnsIT.handler(zone, cloud), ProvisionDnsIT.state(zone, Backends.launch(ec2, zone)));
        String otherVpc = ec2.createVpc(b -> b.cidrBlock("10.50.0.0/16")).vpc().vpcId();
        String stagingVpc = ec2.createVpc(b -> b.cidrBlock("10.60.0.0/16")).vpc().vpcId();
        String handMade = bare(route53.createHostedZone(b -> b.name("vprofile.in").callerReference("ops-1")
                .vpc(v -> v.vpcId(otherVpc).vpcRegion(LocalCloud.REGION))
                .hostedZoneConfig(c -> c.privateZone(true).comment("ops"))).hostedZone().id());
        String staging = bare(route53.createHostedZone(b -> b.name("vprofile.in").callerReference("staging-1")
                .vpc(v -> v.vpcId(stagingVpc).vpcRegion(LocalCloud.REGION))
                .hostedZoneConfig(c -> c.privateZone(true).comment(HostedZoneView.marker("staging")))).hostedZone().id());
        route53.changeTagsForResource(b -> b.resourceType("hostedzone").resourceId(staging)
                .addTags(t -> t.key("pipeline:environment").value("staging")));

        JsonNode out = StageHarness.invoke(new TeardownDnsHandler(zone.functionEnvironment(cloud, "TeardownDnsFunction")), StageHarness.state(zone.spec()));

        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(zonesNamed(route53, "vprofile.in.")).extracting(HostedZone::id).map(ProvisionDnsIT::bare)
                .containsExactlyInAnyOrder(handMade, staging);
    }
}
