package dev.pipeline.deploy.prune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.DeployFixture;
import dev.pipeline.deploy.ReleaseImages;
import dev.pipeline.deploy.release.DeployTables;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.deploy.release.ReleaseStore;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** PruneImages against EC2 and the releases table on the local cloud. */
@ExtendWith(LocalCloudExtension.class)
class PruneImagesIT {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void fiveSuccessfulReleases_keepsTheThreeNewestAndTheOneTheTemplateLaunches_deletesTheRestWithTheirSnapshots(
            LocalCloud cloud, Ec2Client ec2, DynamoDbClient dynamo) {
        // given five successful releases (r1 oldest), one failed newer one, and the golden AMI they were baked from
        DeployTables.create(dynamo);
        ReleaseStore store = new ReleaseStore(dynamo, DeployTables.RELEASES);
        String golden = ReleaseImages.image(ec2, "golden-ami", "vprofile-golden");
        List<String> amis = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String ami = ReleaseImages.image(ec2, "release-ami", "vprofile-release-" + i);
            amis.add(ami);
            store.put(ReleaseImages.release(Integer.toString(i), T0.plusSeconds(3600L * i), ReleaseStatus.SUCCEEDED, ami));
        }
        String failed = ReleaseImages.image(ec2, "release-ami", "vprofile-release-6");
        store.put(ReleaseImages.release("6", T0.plusSeconds(3600L * 6), ReleaseStatus.FAILED, failed));
        // ...and the app launch template's default version still launches r1 (say the last refresh rolled back to it)
        String template = ec2.createLaunchTemplate(b -> b.launchTemplateName("vprofile-app")
                .launchTemplateData(d -> d.imageId(golden).instanceType("t3.small"))).launchTemplate().launchTemplateId();
        long v2 = ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(template).sourceVersion("1")
                .launchTemplateData(d -> d.imageId(amis.getFirst()))).launchTemplateVersion().versionNumber();
        ec2.modifyLaunchTemplate(b -> b.launchTemplateId(template).defaultVersion(Long.toString(v2)));
        List<String> r2Snapshots = ReleaseImages.snapshotsOf(ec2, amis.get(1));
        List<String> failedSnapshots = ReleaseImages.snapshotsOf(ec2, failed);
        List<String> goldenSnapshots = ReleaseImages.snapshotsOf(ec2, golden);
        Map<String, String> env = new HashMap<>(DeployFixture.env(cloud, "PruneImagesFunction"));
        env.put("KEEP_RELEASES", "3");
        ObjectNode state = StageHarness.state(LandingZone.network(cloud).spec());

        // when PruneImages runs, and runs again
        JsonNode first = StageHarness.invoke(new PruneImagesHandler(env), state);
        JsonNode second = StageHarness.invoke(new PruneImagesHandler(env), state);

        // then r3, r4, r5 (newest three) and r1 (launched by the default version) are kept; r2 and the failed one go
        assertThat(first.path("kept")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(amis.get(0), amis.get(2), amis.get(3), amis.get(4));
        assertThat(first.path("deregistered")).extracting(JsonNode::asText).containsExactlyInAnyOrder(amis.get(1), failed);
        List<String> gone = new ArrayList<>(r2Snapshots);
        gone.addAll(failedSnapshots);
        assertThat(first.path("deletedSnapshots")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(gone);
        assertThat(ec2.describeImages(b -> b.owners("self")).images()).extracting(Image::imageId)
                .containsExactlyInAnyOrder(golden, amis.get(0), amis.get(2), amis.get(3), amis.get(4));
        assertThat(ReleaseImages.existingSnapshots(ec2, gone)).isEmpty();
        assertThat(ReleaseImages.existingSnapshots(ec2, goldenSnapshots)).containsExactlyElementsOf(goldenSnapshots);
        // and a second run changes nothing
        assertThat(second.path("kept")).isEqualTo(first.path("kept"));
        assertThat(second.path("deregistered")).isEmpty();
        assertThat(second.path("deletedSnapshots")).isEmpty();
        assertThat(ec2.describeImages(b -> b.owners("self")).images()).hasSize(5);
    }

    @Test
    void theVersionThisRunCreated_keepsItsImage_evenBeyondTheNewestReleases(LocalCloud cloud, Ec2Client ec2, DynamoDbClient dynamo) {
        DeployTables.create(dynamo);
        ReleaseStore store = new ReleaseStore(dynamo, DeployTables.RELEASES);
        String live = ReleaseImages.image(ec2, "release-ami", "vprofile-release-1");
        store.put(ReleaseImages.release("1", T0, ReleaseStatus.SUCCEEDED, live));
        String rolledBack = ReleaseImages.image(ec2, "release-ami", "vprofile-release-2"); // this run's, not recorded yet
        Map<String, String> env = new HashMap<>(DeployFixture.env(cloud, "PruneImagesFunction"));
        env.put("KEEP_RELEASES", "1");
        ObjectNode state = StageHarness.state(LandingZone.network(cloud).spec());
        state.putObject("releaseVersion").put("launchTemplateId", "lt-0abc").put("version", 3).put("imageId", rolledBack)
                .put("previousVersion", 2).put("previousImageId", live);

        JsonNode out = StageHarness.invoke(new PruneImagesHandler(env), state);

        assertThat(out.path("kept")).extracting(JsonNode::asText).containsExactlyInAnyOrder(live, rolledBack);
        assertThat(out.path("deregistered")).isEmpty();
    }
}
