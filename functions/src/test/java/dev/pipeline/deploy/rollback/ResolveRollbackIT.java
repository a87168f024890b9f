package dev.pipeline.deploy.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.DeployFixture;
import dev.pipeline.deploy.ReleaseImages;
import dev.pipeline.deploy.release.DeployTables;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseIds;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.deploy.release.ReleaseStore;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ResolveRollback against the releases table and EC2 images on the local cloud: v1, v2 succeeded, v3 rolled back, v4 live. */
@ExtendWith(LocalCloudExtension.class)
class ResolveRollbackIT {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-25T14:00:00.123Z");

    private ResolveRollbackHandler handler;
    private Release v1, v2, v3, v4;

    @BeforeEach
    void history(LocalCloud cloud, DynamoDbClient dynamo, Ec2Client ec2) {
        DeployTables.create(dynamo);
        ReleaseStore store = new ReleaseStore(dynamo, DeployTables.RELEASES);
        v1 = ReleaseImages.release("1", T0, ReleaseStatus.SUCCEEDED, ReleaseImages.image(ec2, "release-ami", "r1"));
        v2 = ReleaseImages.release("2", T0.plusSeconds(3600), ReleaseStatus.SUCCEEDED, ReleaseImages.image(ec2, "release-ami", "r2"));
        v3 = ReleaseImages.release("3", T0.plusSeconds(7200), ReleaseStatus.FAILED, ReleaseImages.image(ec2, "release-ami", "r3"));
        v4 = ReleaseImages.release("4", T0.plusSeconds(10800), ReleaseStatus.SUCCEEDED, ReleaseImages.image(ec2, "release-ami", "r4"));
        for (Release r : new Release[]{v1, v2, v3, v4}) store.put(r);
        handler = new ResolveRollbackHandler(DeployFixture.env(cloud, "ResolveRollbackFunction"));
    }

    @Test
    void noReleaseNamed_rollsBackToTheSuccessfulReleaseBeforeTheLiveOne_skippingTheFailedOne() {
        JsonNode out = StageHarness.invoke(handler, rollback(null));

        assertThat(out.path("ready").asBoolean()).isTrue();
        assertThat(out.path("rollbackOf").asText()).isEqualTo(v2.releaseId());
        assertThat(out.path("imageId").asText()).isEqualTo(v2.ami());
        assertThat(out.path("key").asText()).isEqualTo("releases/app.war");
        assertThat(out.path("versionId").asText()).isEqualTo("ver-2");
        assertThat(out.path("sha256").asText()).isEqualTo(v2.sha256());
        assertThat(out.path("releaseId").asText()).isEqualTo(ReleaseIds.of(NOW, "rollback-1"));
        assertThat(out.path("summary").asText()).contains(v2.releaseId());
    }

    @Test
    void aNamedRelease_isRolledBackTo() {
        JsonNode out = StageHarness.invoke(handler, rollback(v1.releaseId()));

        assertThat(out.path("rollbackOf").asText()).isEqualTo(v1.releaseId());
        assertThat(out.path("imageId").asText()).isEqualTo(v1.ami());
    }

    @Test
    void anUnknownRelease_isRefused() {
        assertThatThrownBy(() -> StageHarness.invoke(handler, rollback("2026-01-01T00:00:00.000000Z#nope")))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("2026-01-01T00:00:00.000000Z#nope")
                .hasMessageContaining("not in the release history of vprofile");
    }

    @Test
    void aFailedRelease_isRefused_withItsReason() {
        assertThatThrownBy(() -> StageHarness.invoke(handler, rollback(v3.releaseId())))
                .isInstanceOf(StageFailedException.class).hasMessageContaining(v3.releaseId()).hasMessageContaining("ended FAILED")
                .hasMessageContaining("rolled back").hasMessageContaining("only a SUCCEEDED release");
    }

    @Test
    void aReleaseWhoseAmiWasDeregistered_isRefused(Ec2Client ec2) {
        ec2.deregisterImage(b -> b.imageId(v2.ami())); // pruned

        assertThatThrownBy(() -> StageHarness.invoke(handler, rollback(null)))
                .isInstanceOf(StageFailedException.class).hasMessageContaining(v2.ami()).hasMessageContaining(v2.releaseId())
                .hasMessageContaining("gone");
        assertThatThrownBy(() -> StageHarness.invoke(handler, rollback(v2.releaseId()))).isInstanceOf(StageFailedException.class)
                .hasMessageContaining("gone");
    }

    private static ObjectNode rollback(String to) {
        ObjectNode state = DeployFixture.uploadState("rollback-1", null, null, NOW);
        state.put("mode", "rollback");
        if (to == null) state.putNull("rollbackTo"); else state.put("rollbackTo", to);
        return state;
    }
}
