package dev.pipeline.provision.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.twist.Twists;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class BakeGoldenImageIT {

    @Test
    void bake_imagesApp01AsTheTaggedGoldenImage_thenRetiresApp01(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        App01 app01 = App01.launch(ec2, zone);
        ObjectNode state = app01.state(zone);

        JsonNode first = StageHarness.invoke(handler(zone, cloud), state);

        String imageId = first.get("imageId").asText();
        Image image = ec2.describeImages(b -> b.imageIds(imageId)).images().getFirst();
        assertThat(image.sourceInstanceId()).isEqualTo(app01.instanceId());
        assertThat(image.name()).startsWith("vprofile-golden-");
        assertThat(image.tags()).contains(App01.tag("pipeline:environment", "vprofile"),
                App01.tag("pipeline:component", "golden-ami"), App01.tag("Name", "vprofile-golden-ami"),
                App01.tag("project", "vprofile"));
        // AWS makes images "pending" for minutes, moto makes them "available" at once; either way the call that
        // creates an image waits one loop before using it.
        assertThat(image.stateAsString()).isIn("pending", "available");
        assertThat(first.get("ready").asBoolean()).isFalse();
        assertThat(app01.state(ec2)).isEqualTo("running");

        JsonNode second = StageHarness.invokeUntilReady(handler(zone, cloud), state);

        assertThat(second.get("imageId").asText()).isEqualTo(imageId);
        assertThat(app01.state(ec2)).isIn("shutting-down", "terminated");
        List<String> snapshotIds = image.blockDeviceMappings().stream().map(m -> m.ebs().snapshotId()).toList();
        assertThat(snapshotIds).isNotEmpty();
        assertThat(ec2.describeSnapshots(b -> b.snapshotIds(snapshotIds)).snapshots()).allSatisfy(s ->
                assertThat(s.tags()).contains(App01.tag("pipeline:environment", "vprofile"),
                        App01.tag("pipeline:component", "golden-ami")));
    }

    @Test
    void bake_makesOneImage_whenCalledAgainAndAgainByNewExecutions(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        App01 app01 = App01.launch(ec2, zone);

        String first = StageHarness.invoke(handler(zone, cloud), app01.state(zone)).get("imageId").asText();
        String second = StageHarness.invoke(handler(zone, cloud), app01.state(zone)).get("imageId").asText();
        String third = StageHarness.invoke(handler(zone, cloud), app01.state(zone)).get("imageId").asText();

        assertThat(List.of(second, third)).containsOnly(first);
        assertThat(App01.goldenImages(ec2)).extracting(Image::imageId).containsExactly(first);
    }

    @Test
    void bake_reusesTheExistingImage_whenTheAppServerWasSkipped(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        App01 app01 = App01.launch(ec2, zone);
        ObjectNode state = app01.state(zone);
        String golden = StageHarness.invokeUntilReady(handler(zone, cloud), state).get("imageId").asText();

        JsonNode out = StageHarness.invoke(handler(zone, cloud), App01.skippedState(zone));

        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(out.get("imageId").asText()).isEqualTo(golden);
        assertThat(App01.goldenImages(ec2)).extracting(Image::imageId).containsExactly(golden);
    }

    @Test
    void bake_fails_whenTheAppServerWasSkippedButTheGoldenImageIsGone(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);

        assertThatThrownBy(() -> StageHarness.invoke(handler(zone, cloud), App01.skippedState(zone)))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("golden-ami");
        assertThat(App01.goldenImages(ec2)).isEmpty();
    }

    @Test
    void bake_waitsForTheOtherRunsImage_whenAConcurrentRunTookTheName(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        App01 app01 = App01.launch(ec2, zone);
        // AWS: a concurrent run imaging the same app01 creates the image between our look and our CreateImage, and
        // ours is refused for its name. moto accepts duplicate names, so the refusal is played here.
        Twists.on(cloud).once("ec2", "CreateImage", (request, moto) -> {
            // theirs made as the gateway makes it (moto refuses the snapshot tags every bake asks for)
            GatewayResponse theirs = new dev.pipeline.local.ec2.SnapshotTagsAtCreation().intercept(request, moto);
            String theirId = theirs.bodyText().replaceAll("(?s).*<imageId>(.*?)</imageId>.*", "$1");
            return AwsErrors.error(request, 400, "InvalidAMIName.Duplicate",
                    "AMI name " + request.formParams().get("Name") + " is already in use by AMI " + theirId);
        });

        JsonNode first = StageHarness.invoke(handler(zone, cloud), app01.state(zone));
        JsonNode second = StageHarness.invokeUntilReady(handler(zone, cloud), app01.state(zone));

        List<Image> images = App01.goldenImages(ec2);
        assertThat(images).hasSize(1);
        assertThat(first.get("ready").asBoolean()).isFalse();
        assertThat(first.get("imageId").asText()).isEqualTo(images.getFirst().imageId());
        assertThat(second.get("imageId").asText()).isEqualTo(images.getFirst().imageId());
    }

    @Test
    void bake_refusesToImageApp01_whileItsBootScriptHasNotFinished(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        App01 app01 = App01.launchStillBooting(ec2, zone);

        assertThatThrownBy(() -> StageHarness.invoke(handler(zone, cloud), app01.state(zone)))
                .isInstanceOf(StageFailedException.class).hasMessageContaining(app01.instanceId())
                .hasMessageContaining("boot script");
        assertThat(App01.goldenImages(ec2)).isEmpty();
    }

    @Test
    void bake_deregistersAFailedImage_andFailsTheRun(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        App01 app01 = App01.launch(ec2, zone);
        String imageId = StageHarness.invoke(handler(zone, cloud), app01.state(zone)).get("imageId").asText();
        // moto never fails an image; AWS does (e.g. a snapshot error). Show the next look the image as failed.
        Twists.on(cloud).once("ec2", "DescribeImages", (request, moto) -> {
            GatewayResponse r = moto.forward(request);
            return r.withBody(r.bodyText().replace("<imageState>available</imageState>", "<imageState>failed</imageState>"));
        });

        assertThatThrownBy(() -> StageHarness.invoke(handler(zone, cloud), app01.state(zone)))
                .isInstanceOf(StageFailedException.class).hasMessageContaining(imageId).hasMessageContaining("deregistered");
        assertThat(App01.goldenImages(ec2)).noneMatch(i -> i.stateAsString().equals("available"));
    }

    @Test
    void bake_fails_whenApp01IsTerminatedAndThereIsNoImage(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        App01 app01 = App01.launch(ec2, zone);
        ec2.terminateInstances(b -> b.instanceIds(app01.instanceId()));

        assertThatThrownBy(() -> StageHarness.invoke(handler(zone, cloud), app01.state(zone)))
                .isInstanceOf(StageFailedException.class).hasMessageContaining(app01.instanceId()).hasMessageContaining("terminated");
        assertThat(App01.goldenImages(ec2)).isEmpty();
    }

    static BakeGoldenImageHandler handler(LandingZone zone, LocalCloud cloud) {
        return new BakeGoldenImageHandler(zone.functionEnvironment(cloud, "BakeGoldenImageFunction"));
    }
}
