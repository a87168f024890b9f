package dev.pipeline.provision.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;

import java.util.ArrayList;
import java.util.List;

import static dev.pipeline.provision.image.App01.tag;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class TeardownImagesIT {

    @Test
    void teardown_deregistersEveryImageOfTheEnvironment_andDeletesTheirSnapshots_andIsHarmlessTwice(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        App01 app01 = App01.launch(ec2, zone);
        ObjectNode state = app01.state(zone);
        StageHarness.invoke(BakeGoldenImageIT.handler(zone, cloud), state);
        String golden = StageHarness.invoke(BakeGoldenImageIT.handler(zone, cloud), state).get("imageId").asText();
        String release = image(ec2, zone, "vprofile", "release-ami", "vprofile-release-1");
        String unrelated = image(ec2, zone, "staging", "golden-ami", "staging-golden-1");
        List<String> ourSnapshots = snapshotsOf(ec2, golden, release);
        List<String> theirSnapshots = snapshotsOf(ec2, unrelated);
        TeardownImagesHandler teardown = new TeardownImagesHandler(zone.functionEnvironment(cloud, "TeardownImagesFunction"));

        JsonNode first = StageHarness.invoke(teardown, StageHarness.state(zone.spec()));
        JsonNode second = StageHarness.invoke(teardown, StageHarness.state(zone.spec()));

        assertThat(first.get("ready").asBoolean()).isTrue();
        assertThat(first.get("deregistered")).extracting(JsonNode::asText).containsExactlyInAnyOrder(golden, release);
        assertThat(first.get("deletedSnapshots")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(ourSnapshots);
        assertThat(ec2.describeImages(b -> b.owners("self")).images()).extracting(Image::imageId).containsExactly(unrelated);
        assertThat(existing(ec2, ourSnapshots)).isEmpty();
        assertThat(existing(ec2, theirSnapshots)).containsExactlyInAnyOrderElementsOf(theirSnapshots);
        assertThat(second.get("ready").asBoolean()).isTrue();
        assertThat(second.get("deregistered")).isEmpty();
        assertThat(second.get("deletedSnapshots")).isEmpty();
    }

    @Test
    void teardown_deletesTaggedSnapshots_whoseImageWasDeregisteredEarlier(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        App01 app01 = App01.launch(ec2, zone);
        ObjectNode state = app01.state(zone);
        StageHarness.invoke(BakeGoldenImageIT.handler(zone, cloud), state);
        String golden = StageHarness.invoke(BakeGoldenImageIT.handler(zone, cloud), state).get("imageId").asText();
        List<String> snapshots = snapshotsOf(ec2, golden);
        // An earlier teardown deregistered the image and stopped before deleting the snapshot.
        ec2.deregisterImage(b -> b.imageId(golden));

        JsonNode out = StageHarness.invoke(new TeardownImagesHandler(zone.functionEnvironment(cloud, "TeardownImagesFunction")), StageHarness.state(zone.spec()));

        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(out.get("deletedSnapshots")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(snapshots);
        assertThat(existing(ec2, snapshots)).isEmpty();
    }

    /** An AMI and its snapshots tagged as another stage (or another environment) would tag them (ImageGateway). */
    private static String image(Ec2Client ec2, LandingZone zone, String environment, String component, String name) {
        String source = App01.launch(ec2, zone).instanceId();
        return ec2.createImage(b -> b.instanceId(source).name(name).tagSpecifications(
                t -> t.resourceType(ResourceType.IMAGE).tags(tag("pipeline:environment", environment), tag("pipeline:component", component)),
                t -> t.resourceType(ResourceType.SNAPSHOT).tags(tag("pipeline:environment", environment), tag("pipeline:component", component))))
                .imageId();
    }

    /** Which of these snapshots still exist. (moto's OwnerIds=self also lists its built-in AMIs' snapshots.) */
    private static List<String> existing(Ec2Client ec2, List<String> snapshotIds) {
        return ec2.describeSnapshots(b -> b.filters(f -> f.name("snapshot-id").values(snapshotIds))).snapshots().stream()
                .map(Snapshot::snapshotId).toList();
    }

    private static List<String> snapshotsOf(Ec2Client ec2, String... imageIds) {
        List<String> ids = new ArrayList<>();
        ec2.describeImages(b -> b.imageIds(imageIds)).images().forEach(i ->
                i.blockDeviceMappings().forEach(m -> ids.add(m.ebs().snapshotId())));
        return ids;
    }
}
