package dev.pipeline.local.ec2;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchTemplateDataTest {

    private static final LaunchTemplateData SOURCE = LaunchTemplateData.fromForm(form(
            "Action", "CreateLaunchTemplate",
            "LaunchTemplateName", "app",
            "LaunchTemplateData.ImageId", "ami-1",
            "LaunchTemplateData.MetadataOptions.HttpTokens", "required",
            "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit", "2",
            "LaunchTemplateData.SecurityGroupId.1", "sg-a",
            "LaunchTemplateData.SecurityGroupId.2", "sg-b",
            "LaunchTemplateData.BlockDeviceMapping.1.DeviceName", "/dev/xvda",
            "LaunchTemplateData.BlockDeviceMapping.1.Ebs.SnapshotId", "snap-1",
            "LaunchTemplateData.BlockDeviceMapping.1.Ebs.Encrypted", "true"));

    @Test
    void fromForm_keepsOnlyLaunchTemplateData_relativeToIt() {
        assertThat(SOURCE.params()).containsEntry("ImageId", "ami-1").doesNotContainKeys("Action", "LaunchTemplateName");
        assertThat(SOURCE.launchParameters())
                .containsExactly("ImageId", "MetadataOptions", "SecurityGroupId", "BlockDeviceMapping");
    }

    @Test
    void inheritedBy_keepsUnspecifiedParameters_andTakesSpecifiedOnes() {
        LaunchTemplateData v2 = SOURCE.inheritedBy(LaunchTemplateData.fromForm(form("LaunchTemplateData.ImageId", "ami-2")));

        assertThat(v2.params()).containsEntry("ImageId", "ami-2")
                .containsEntry("MetadataOptions.HttpTokens", "required")
                .containsEntry("SecurityGroupId.2", "sg-b")
                .containsEntry("BlockDeviceMapping.1.Ebs.Encrypted", "true");
    }

    @Test
    void inheritedBy_replacesWholeTopLevelParameter_whenAnyPartIsSpecified() {
        LaunchTemplateData v2 = SOURCE.inheritedBy(LaunchTemplateData.fromForm(form(
                "LaunchTemplateData.MetadataOptions.HttpEndpoint", "enabled",
                "LaunchTemplateData.SecurityGroupId.1", "sg-c")));

        assertThat(v2.params()).containsEntry("MetadataOptions.HttpEndpoint", "enabled")
                .doesNotContainKeys("MetadataOptions.HttpTokens", "MetadataOptions.HttpPutResponseHopLimit", "SecurityGroupId.2")
                .containsEntry("SecurityGroupId.1", "sg-c");
    }

    @Test
    void inheritedBy_dropsSnapshotOfInheritedBlockDevice_butKeepsOneSpecifiedAgain() {
        LaunchTemplateData inherited = SOURCE.inheritedBy(LaunchTemplateData.fromForm(form()));
        assertThat(inherited.params()).doesNotContainKey("BlockDeviceMapping.1.Ebs.SnapshotId")
                .containsEntry("BlockDeviceMapping.1.DeviceName", "/dev/xvda");

        LaunchTemplateData explicit = SOURCE.inheritedBy(LaunchTemplateData.fromForm(form(
                "LaunchTemplateData.BlockDeviceMapping.1.DeviceName", "/dev/xvda",
                "LaunchTemplateData.BlockDeviceMapping.1.Ebs.SnapshotId", "snap-9")));
        assertThat(explicit.params()).containsEntry("BlockDeviceMapping.1.Ebs.SnapshotId", "snap-9")
                .doesNotContainKey("BlockDeviceMapping.1.Ebs.Encrypted");
    }

    private static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
