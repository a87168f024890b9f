package dev.pipeline.provision.instances;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceConvergerTest {

    private static final InstanceConverger.Expected EXPECTED =
            new InstanceConverger.Expected("t3.small", "sg-backend", "vprofile-backend-profile");

    private static Ec2Instance instance(String type, List<String> groups, String profileArn) {
        return new Ec2Instance("i-1", "db01", "running", "10.0.0.5", Instant.EPOCH, type, "subnet-1", groups, profileArn, null);
    }

    @Test
    void anInstanceAsSpecified_hasNoDifferences() {
        var i = instance("t3.small", List.of("sg-backend"), "arn:aws:iam::123456789012:instance-profile/vprofile-backend-profile");

        assertThat(InstanceConverger.differences(i, EXPECTED)).isEmpty();
    }

    @Test
    void type_groups_andProfile_areEachReported() {
        var i = instance("t3.large", List.of("sg-other"), "arn:aws:iam::123456789012:instance-profile/not-vprofile-backend-profile-x");

        assertThat(InstanceConverger.differences(i, EXPECTED)).hasSize(3)
                .anySatisfy(d -> assertThat(d).contains("t3.large", "t3.small"))
                .anySatisfy(d -> assertThat(d).contains("sg-backend"))
                .anySatisfy(d -> assertThat(d).contains("vprofile-backend-profile"));
    }

    @Test
    void noProfile_isADifference() {
        assertThat(InstanceConverger.differences(instance("t3.small", List.of("sg-backend"), null), EXPECTED))
                .containsExactly("instance profile is none, not vprofile-backend-profile");
    }
}
