package dev.pipeline.provision.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.Prerequisites;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecification;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class ProvisionLaunchTemplateIT {

    @Test
    void provision_createsTemplateWithGoldenImage_imdsv2_encryptedRoot_profileAndAppGroup(LocalCloud cloud, Ec2Client ec2) {
        // given the security groups and a golden image
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = state(cloud, zone, Prerequisites.goldenImage(cloud, zone));

        // when
        JsonNode out = StageHarness.invoke(handler(cloud, zone), state);

        // then the default version launches the golden image as a t3.small app server
        LaunchTemplate t = ec2.describeLaunchTemplates(b -> b.launchTemplateNames("vprofile-app")).launchTemplates().getFirst();
        assertThat(out.get("launchTemplateId").asText()).isEqualTo(t.launchTemplateId());
        assertThat(out.get("launchTemplateName").asText()).isEqualTo("vprofile-app");
        assertThat(out.get("version").asLong()).isEqualTo(t.defaultVersionNumber()).isEqualTo(1L);
        ResponseLaunchTemplateData d = defaultData(ec2, t.launchTemplateId());
        assertThat(d.imageId()).isEqualTo(state.at("/goldenImage/imageId").asText()).isEqualTo(out.get("imageId").asText());
        assertThat(d.instanceTypeAsString()).isEqualTo("t3.small");
        assertThat(d.securityGroupIds()).containsExactly(state.at("/securityGroups/appGroupId").asText());
        assertThat(d.iamInstanceProfile().name()).isEqualTo(zone.appProfile());
        // and IMDSv2 only, with an encrypted gp3 root volume
        assertThat(d.metadataOptions().httpTokensAsString()).isEqualTo("required");
        assertThat(d.metadataOptions().httpEndpointAsString()).isEqualTo("enabled");
        assertThat(d.metadataOptions().httpPutResponseHopLimit()).isEqualTo(1);
        assertThat(d.blockDeviceMappings()).singleElement().satisfies(m -> {
            assertThat(m.ebs().encrypted()).isTrue();
            assertThat(m.ebs().volumeTypeAsString()).isEqualTo("gp3");
            assertThat(m.deviceName()).isEqualTo(ec2.describeImages(b -> b.imageIds(d.imageId())).images().getFirst().rootDeviceName());
        });
        // and instances and volumes are tagged as the environment's app servers; the template as launch-template
        assertThat(tags(d, "instance")).containsEntry("pipeline:environment", "vprofile").containsEntry("pipeline:component", "app")
                .containsEntry("project", "vprofile").containsEntry("Name", "vprofile-app");
        assertThat(tags(d, "volume")).containsEntry("pipeline:component", "app");
        assertThat(t.tags()).anyMatch(tag -> tag.key().equals("pipeline:component") && tag.value().equals("launch-template"));
    }

    @Test
    void provision_reusesDefaultVersion_whenRunTwice(LocalCloud cloud, Ec2Client ec2) {
        // given a provisioned template
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = state(cloud, zone, Prerequisites.goldenImage(cloud, zone));
        JsonNode first = StageHarness.invoke(handler(cloud, zone), state);

        // when it runs again
        JsonNode second = StageHarness.invoke(handler(cloud, zone), state);

        // then the same template and version, and no new version exists
        assertThat(second.get("launchTemplateId")).isEqualTo(first.get("launchTemplateId"));
        assertThat(second.get("version").asLong()).isEqualTo(1L);
        assertThat(second.get("summary").asText()).startsWith("reused");
        LaunchTemplate t = ec2.describeLaunchTemplates(b -> b.launchTemplateNames("vprofile-app")).launchTemplates().getFirst();
        assertThat(t.latestVersionNumber()).isEqualTo(1L);
        assertThat(ec2.describeLaunchTemplates().launchTemplates()).hasSize(1);
    }

    @Test
    void provision_createsNewDefaultVersion_whenGoldenImageChanges(LocalCloud cloud, Ec2Client ec2) {
        // given a template on one golden image
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = state(cloud, zone, Prerequisites.goldenImage(cloud, zone));
        JsonNode first = StageHarness.invoke(handler(cloud, zone), state);

        // when the golden image is rebaked and provisioning runs again
        String rebaked = Prerequisites.goldenImage(cloud, zone);
        ((ObjectNode) state.get("goldenImage")).put("imageId", rebaked);
        JsonNode out = StageHarness.invoke(handler(cloud, zone), state);

        // then version 2 holds the new image, complete, and is the default
        assertThat(out.get("launchTemplateId")).isEqualTo(first.get("launchTemplateId"));
        assertThat(out.get("version").asLong()).isEqualTo(2L);
        LaunchTemplate t = ec2.describeLaunchTemplates(b -> b.launchTemplateNames("vprofile-app")).launchTemplates().getFirst();
        assertThat(t.defaultVersionNumber()).isEqualTo(2L);
        ResponseLaunchTemplateData d = defaultData(ec2, t.launchTemplateId());
        assertThat(d.imageId()).isEqualTo(rebaked);
        assertThat(d.metadataOptions().httpTokensAsString()).isEqualTo("required");
        assertThat(d.iamInstanceProfile().name()).isEqualTo(zone.appProfile());
        assertThat(out.get("summary").asText()).contains("image");
    }

    @Test
    void provision_keepsDeployedReleaseImage_insteadOfRollingBackToGolden(LocalCloud cloud, Ec2Client ec2) {
        // given a template whose default version a deploy moved to a newer release image
        LandingZone zone = LandingZone.create(cloud);
        String golden = Prerequisites.goldenImage(cloud, zone);
        ObjectNode state = state(cloud, zone, golden);
        JsonNode first = StageHarness.invoke(handler(cloud, zone), state);
        String release = Prerequisites.image(cloud, zone, "release-ami", "vprofile-release-42");
        String id = first.get("launchTemplateId").asText();
        long deployed = ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(id).sourceVersion("1")
                .launchTemplateData(d -> d.imageId(release))).launchTemplateVersion().versionNumber();
        ec2.modifyLaunchTemplate(b -> b.launchTemplateId(id).defaultVersion(Long.toString(deployed)));

        // when provisioning runs again with the golden image in its state
        JsonNode out = StageHarness.invoke(handler(cloud, zone), state);

        // then the deployed version stays the default, and the output says why
        assertThat(out.get("version").asLong()).isEqualTo(deployed);
        assertThat(out.get("imageId").asText()).isEqualTo(release);
        assertThat(out.get("keptReleaseImage").asBoolean()).isTrue();
        assertThat(out.get("summary").asText()).contains(release).contains(golden);
        LaunchTemplate t = ec2.describeLaunchTemplates(b -> b.launchTemplateNames("vprofile-app")).launchTemplates().getFirst();
        assertThat(t.defaultVersionNumber()).isEqualTo(deployed);
        assertThat(t.latestVersionNumber()).isEqualTo(deployed);
    }

    static ObjectNode state(LocalCloud cloud, LandingZone zone, String goldenImage) {
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);
        state.putObject("goldenImage").put("ready", true).put("imageId", goldenImage);
        return state;
    }

    static ProvisionLaunchTemplateHandler handler(LocalCloud cloud, LandingZone zone) {
        return new ProvisionLaunchTemplateHandler(zone.functionEnvironment(cloud, "ProvisionLaunchTemplateFunction"));
    }

    static ResponseLaunchTemplateData defaultData(Ec2Client ec2, String id) {
        return ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(id).versions("$Default"))
                .launchTemplateVersions().getFirst().launchTemplateData();
    }

    static Map<String, String> tags(ResponseLaunchTemplateData d, String resourceType) {
        return d.tagSpecifications().stream().filter(s -> s.resourceTypeAsString().equals(resourceType))
                .map(LaunchTemplateTagSpecification::tags).flatMap(java.util.List::stream)
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }
}
