package dev.pipeline.provision.network;

import dev.pipeline.functions.StageFailedException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExistingGroupsTest {

    @Test
    void theTaggedGroupIsOurs_whateverItsName() {
        ExistingGroups groups = new ExistingGroups("vprofile", "vpc-1", List.of(
                group("sg-1", "renamed", "vprofile", "app-sg"), group("sg-2", "vprofile-alb-sg", "vprofile", "alb-sg")));

        assertThat(groups.idOf("app-sg", "vprofile-app-sg")).contains("sg-1");
        assertThat(groups.idOf("backend-sg", "vprofile-backend-sg")).isEmpty();
    }

    @Test
    void anotherEnvironmentsTags_doNotCount() {
        ExistingGroups groups = new ExistingGroups("vprofile", "vpc-1", List.of(group("sg-1", "x", "staging", "app-sg")));

        assertThat(groups.idOf("app-sg", "vprofile-app-sg")).isEmpty();
    }

    @Test
    void anUntaggedGroupHoldingOurName_isRefused_notAdopted() {
        ExistingGroups groups = new ExistingGroups("vprofile", "vpc-1", List.of(
                new FoundGroup("sg-9", "vprofile-app-sg", "vpc-1", Map.of())));

        assertThatThrownBy(() -> groups.idOf("app-sg", "vprofile-app-sg"))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("vprofile-app-sg (sg-9)").hasMessageContaining("not tagged");
    }

    @Test
    void twoTaggedGroups_areAConflict() {
        ExistingGroups groups = new ExistingGroups("vprofile", "vpc-1", List.of(
                group("sg-1", "a", "vprofile", "app-sg"), group("sg-2", "b", "vprofile", "app-sg")));

        assertThatThrownBy(() -> groups.idOf("app-sg", "vprofile-app-sg"))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("sg-1").hasMessageContaining("sg-2");
    }

    private static FoundGroup group(String id, String name, String env, String component) {
        return new FoundGroup(id, name, "vpc-1", Map.of("pipeline:environment", env, "pipeline:component", component));
    }
}
