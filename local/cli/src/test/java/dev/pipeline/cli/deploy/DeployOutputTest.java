package dev.pipeline.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.deploy.release.LockState;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.deploy.release.Upload;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the deploy commands print and send, from values alone (no cloud). */
class DeployOutputTest {
    private static final Instant T = Instant.parse("2026-11-25T14:00:00Z");

    private static Release release(String id, String version, String ami, ReleaseStatus status, String reason) {
        return new Release("vprofile", id, "releases/app.war", version, "ab".repeat(32), ami, ami == null ? null : 3L, status,
                reason, T, T, T.plusSeconds(20), id, null);
    }

    private static String print(DeployStatus s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rollbackInput_isTheContractsShape_withNullMeaningThePreviousRelease() {
        JsonNode previous = Deployer.rollbackInput("rollback-1", null, T, 1, 600);
        JsonNode named = Deployer.rollbackInput("rollback-2", "R1", T, 15, 3600);

        assertThat(previous.path("mode").asText()).isEqualTo("rollback");
        assertThat(previous.get("rollbackTo").isNull()).isTrue();
        assertThat(previous.path("upload").path("id").asText()).isEqualTo("rollback-1");
        assertThat(previous.path("upload").path("uploadedAt").asText()).isEqualTo("2026-11-25T14:00:00Z");
        assertThat(previous.path("upload").get("key").isNull()).isTrue();
        assertThat(previous.path("run").path("pollSeconds").asInt()).isEqualTo(1);
        assertThat(named.path("rollbackTo").asText()).isEqualTo("R1");
        assertThat(named.path("run").path("timeoutSeconds").asInt()).isEqualTo(3600);
    }

    @Test
    void status_showsTheLiveRelease_theFleetByAmi_theLockAndQueue_andTheHistory() {
        Release v2 = release("R2", "version-two", "ami-2", ReleaseStatus.SUCCEEDED, null);
        Release v3 = release("R3", "version-three", "ami-3", ReleaseStatus.FAILED, "instance refresh Failed: unhealthy");
        DeployStatus.Fleet fleet = new DeployStatus.Fleet("vprofile-app", 2, List.of(new DeployStatus.AmiGroup("ami-2", v2,
                "releases/app.war version version-two", List.of(new DeployStatus.Instance("i-1", "InService", "Healthy"),
                new DeployStatus.Instance("i-2", "Pending", "Healthy")))));
        LockState lock = new LockState("releases-app-war-x", T.plusSeconds(4500), "o", List.of());
        Upload waiting = new Upload("releases-app-war-y", T.plusSeconds(5), "b", "releases/app.war", "version-four");

        DeployStatus status = new DeployStatus("vprofile", true, v2, fleet, lock, List.of(waiting), List.of(v3, v2));
        String text = print(status);

        assertThat(text).contains("Live release:     releases/app.war version version-two on ami-2 (launch template version 3)")
                .containsPattern("ami-2 +2 x  releases/app.war version version-two \\[live]")
                .contains("i-1 i-2(Pending)")
                .contains("Deploy in flight: releases-app-war-x (lock lease until 2026-11-25T15:15:00Z)")
                .contains("Queued uploads:   1 (only the newest will deploy)", "releases/app.war version version-four")
                .containsPattern("FAILED +2026-11-25T14:00:00Z +releases/app.war version version-thre +ami-3 +instance refresh Failed");
        JsonNode json = status.toJson();
        assertThat(json.path("live").path("releaseId").asText()).isEqualTo("R2");
        assertThat(json.path("fleet").path("byAmi").get(0).path("count").asInt()).isEqualTo(2);
        assertThat(json.path("inFlight").path("holder").asText()).isEqualTo("releases-app-war-x");
        assertThat(json.path("queued").get(0).path("versionId").asText()).isEqualTo("version-four");
        assertThat(json.path("history").findValuesAsText("status")).containsExactly("FAILED", "SUCCEEDED");
    }

    @Test
    void status_ofAnEnvironmentWithNoRelease_saysSo() {
        String text = print(new DeployStatus("vprofile", false, null, null, null, List.of(), List.of()));

        assertThat(text).contains("Environment vprofile is not provisioned (no applied manifest): ./pipeline up",
                "Live release:     none yet", "Deploy in flight: none", "Queued uploads:   none", "no releases yet");
    }

    @Test
    void aRolledBackDeploy_saysTheFleetIsBack_andWhy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DeployCommand.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), new DeployResult("ROLLED_BACK", "R3",
                "instance refresh Failed: 2 instances unhealthy", null, 21.5, List.of("arn"), List.of()));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Release ROLLED_BACK after 21.5 s: instance refresh Failed: 2 instances unhealthy",
                "The fleet is back on the release it ran before.", "release R3");
    }
}
