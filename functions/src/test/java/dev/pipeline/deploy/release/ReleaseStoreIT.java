package dev.pipeline.deploy.release;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class ReleaseStoreIT {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private DynamoDbClient dynamo;
    private ReleaseStore store;

    @BeforeEach
    void tables(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
        DeployTables.create(dynamo);
        store = new ReleaseStore(dynamo, DeployTables.RELEASES);
    }

    @Test
    void completedRelease_readsBack_withEveryField() {
        Release r = Release.start("vprofile", "deploy-app-v2", "releases/app.war", "v2", "ab".repeat(32),
                        T0, T0.plusSeconds(3), ReleaseStatus.DEPLOYING)
                .withImage("ami-0123456789abcdef0", 7)
                .finished(ReleaseStatus.SUCCEEDED, null, T0.plusSeconds(95));

        store.put(r);

        assertThat(store.get("vprofile", r.releaseId())).contains(r);
        // stored as plain attributes a user can read in the console
        var item = dynamo.getItem(b -> b.tableName(DeployTables.RELEASES).key(Map.of(
                "environment", av("vprofile"), "releaseId", av(r.releaseId())))).item();
        assertThat(item.get("status").s()).isEqualTo("SUCCEEDED");
        assertThat(item.get("launchTemplateVersion").n()).isEqualTo("7");
        assertThat(item.get("finishedAt").s()).isEqualTo("2026-11-25T12:01:35Z");
    }

    @Test
    void updatingARelease_replacesIt_ratherThanAddingOne() {
        Release r = Release.start("vprofile", "deploy-1", "releases/app.war", "v1", "00".repeat(32), T0, T0, ReleaseStatus.DEPLOYING);
        store.put(r);
        store.put(r.finished(ReleaseStatus.FAILED, "instance refresh Failed: health checks", T0.plusSeconds(60)));

        List<Release> all = store.list("vprofile", 10);

        assertThat(all).hasSize(1);
        assertThat(all.getFirst().status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(all.getFirst().reason()).isEqualTo("instance refresh Failed: health checks");
    }

    @Test
    void list_isNewestFirst_perEnvironment_evenAcrossSecondBoundaries() {
        // 12:00:00.5 and 12:00:01 print as "...00.500Z" and "...01Z"; the sort key must still order them
        Instant[] starts = {T0, T0.plusMillis(500), T0.plusSeconds(1), T0.plusSeconds(61)};
        for (int i = 0; i < starts.length; i++) {
            store.put(Release.start("vprofile", "deploy-" + i, "releases/app.war", "v" + i, null, starts[i], starts[i], ReleaseStatus.SUCCEEDED));
        }
        store.put(Release.start("staging", "deploy-x", "releases/app.war", "vx", null, T0.plusSeconds(500), T0.plusSeconds(500), ReleaseStatus.SUCCEEDED));

        assertThat(store.list("vprofile", 10)).extracting(Release::execution)
                .containsExactly("deploy-3", "deploy-2", "deploy-1", "deploy-0");
        assertThat(store.list("vprofile", 2)).extracting(Release::execution).containsExactly("deploy-3", "deploy-2");
        assertThat(store.list("staging", 10)).extracting(Release::execution).containsExactly("deploy-x");
        assertThat(store.list("nowhere", 10)).isEmpty();
    }

    @Test
    void unknownRelease_isEmpty() {
        assertThat(store.get("vprofile", Release.releaseId(T0, "never"))).isEmpty();
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue av(String s) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(s);
    }
}
