package dev.pipeline.local.ec2;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.VolumeType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class Ec2IdempotencyIT {
    private static final String GOLDEN_AMI = "ami-0aaaaaaaaaaaaaaa1";
    private static final String NEW_AMI = "ami-0bbbbbbbbbbbbbbb2";
    private static final String USER_DATA = Base64.getEncoder().encodeToString(
            "#!/bin/bash\nsystemctl start tomcat\n".getBytes(StandardCharsets.UTF_8));

    // ---- CreateLaunchTemplateVersion with SourceVersion ----

    @Test
    void newVersion_inheritsEverySourceParameter_exceptTheImageItChanges(Ec2Client ec2) {
        // given v1 with every setting the pipeline's template carries
        String sg = securityGroup(ec2, "web");
        String templateId = appTemplate(ec2, sg);
        ResponseLaunchTemplateData v1Before = data(ec2, templateId, "1");

        // when v2 is made from v1 changing only the image
        Long v2 = ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(templateId).sourceVersion("1")
                .launchTemplateData(d -> d.imageId(NEW_AMI))).launchTemplateVersion().versionNumber();

        // then v2 has the new image and everything else of v1
        assertThat(v2).isEqualTo(2L);
        ResponseLaunchTemplateData v2Data = data(ec2, templateId, "2");
        assertThat(v2Data.imageId()).isEqualTo(NEW_AMI);
        assertThat(v2Data.instanceType()).isEqualTo(InstanceType.T3_MICRO);
        assertThat(v2Data.metadataOptions().httpTokens()).isEqualTo(LaunchTemplateHttpTokensState.REQUIRED);
        assertThat(v2Data.blockDeviceMappings()).singleElement().satisfies(m -> {
            assertThat(m.deviceName()).isEqualTo("/dev/xvda");
            assertThat(m.ebs().encrypted()).isTrue();
            assertThat(m.ebs().volumeSize()).isEqualTo(20);
            assertThat(m.ebs().volumeType()).isEqualTo(VolumeType.GP3);
        });
        assertThat(v2Data.iamInstanceProfile().name()).isEqualTo("app-instance-profile");
        assertThat(v2Data.userData()).isEqualTo(USER_DATA);
        assertThat(v2Data.securityGroupIds()).containsExactly(sg);
        assertThat(v2Data.toBuilder().imageId(null).build()).isEqualTo(v1Before.toBuilder().imageId(null).build());
        // and v1 is as it was
        assertThat(data(ec2, templateId, "1")).isEqualTo(v1Before);
    }

    @Test
    void newVersion_isRefused_whenSourceVersionDoesNotExist(Ec2Client ec2) {
        String templateId = appTemplate(ec2, securityGroup(ec2, "web"));

        for (String bad : List.of("7", "0", "latest")) {
            assertThatThrownBy(() -> ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(templateId).sourceVersion(bad)
                    .launchTemplateData(d -> d.imageId(NEW_AMI))))
                    .as("SourceVersion %s", bad)
                    .isInstanceOfSatisfying(Ec2Exception.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidLaunchTemplateId.VersionNotFound"));
        }
        assertThat(ec2.describeLaunchTemplates(b -> b.launchTemplateIds(templateId)).launchTemplates().getFirst()
                .latestVersionNumber()).isEqualTo(1L);
    }

    @Test
    void newVersion_inheritsFromLatestAndDefault_byAlias(Ec2Client ec2) {
        String sg = securityGroup(ec2, "web");
        String templateId = appTemplate(ec2, sg);
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(templateId).sourceVersion("1")
                .launchTemplateData(d -> d.imageId(NEW_AMI)));

        // $Latest is v2 (new image); $Default is still v1 (golden image); the template is named, not id'd
        String name = "app";
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateName(name).sourceVersion("$Latest")
                .launchTemplateData(d -> d.instanceType(InstanceType.T3_LARGE)));
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(templateId).sourceVersion("$Default")
                .launchTemplateData(d -> d.instanceType(InstanceType.T3_SMALL)));

        ResponseLaunchTemplateData v3 = data(ec2, templateId, "3");
        assertThat(v3.imageId()).isEqualTo(NEW_AMI);
        assertThat(v3.instanceType()).isEqualTo(InstanceType.T3_LARGE);
        assertThat(v3.securityGroupIds()).containsExactly(sg);
        ResponseLaunchTemplateData v4 = data(ec2, templateId, "4");
        assertThat(v4.imageId()).isEqualTo(GOLDEN_AMI);
        assertThat(v4.instanceType()).isEqualTo(InstanceType.T3_SMALL);
        assertThat(v4.metadataOptions().httpTokens()).isEqualTo(LaunchTemplateHttpTokensState.REQUIRED);
    }

    @Test
    void autoScalingGroup_launchesFromInheritedVersion(Ec2Client ec2, AutoScalingClient autoscaling) {
        // given v2 from v1, which inherits v1's user data (moto once failed with a 500 launching from such a version)
        String templateId = appTemplate(ec2, securityGroup(ec2, "web"));
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(templateId).sourceVersion("1")
                .launchTemplateData(d -> d.imageId(NEW_AMI)));
        String subnet = ec2.describeSubnets().subnets().getFirst().subnetId();

        // when a group launches from v2
        autoscaling.createAutoScalingGroup(b -> b.autoScalingGroupName("app").minSize(1).maxSize(1).desiredCapacity(1)
                .vpcZoneIdentifier(subnet).launchTemplate(t -> t.launchTemplateId(templateId).version("2")));

        // then its instance runs the new image
        AutoScalingGroup group = autoscaling.describeAutoScalingGroups(b -> b.autoScalingGroupNames("app"))
                .autoScalingGroups().getFirst();
        String instanceId = group.instances().getFirst().instanceId();
        assertThat(ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations().getFirst().instances().getFirst()
                .imageId()).isEqualTo(NEW_AMI);
    }

    // ---- RunInstances ClientToken ----

    @Test
    void runInstances_returnsTheSameReservation_whenClientTokenIsRepeated(Ec2Client ec2) {
        RunInstancesResponse first = ec2.runInstances(launch("builder-release-42", InstanceType.T3_MICRO));
        RunInstancesResponse retry = ec2.runInstances(launch("builder-release-42", InstanceType.T3_MICRO));

        assertThat(retry.reservationId()).isEqualTo(first.reservationId());
        assertThat(ids(retry.instances())).containsExactlyElementsOf(ids(first.instances())).hasSize(2);
        assertThat(allInstances(ec2)).extracting(Instance::instanceId).containsExactlyInAnyOrderElementsOf(ids(first.instances()));
    }

    @Test
    void runInstances_launchesNewInstances_forAnotherClientToken(Ec2Client ec2) {
        RunInstancesResponse first = ec2.runInstances(launch("builder-release-42", InstanceType.T3_MICRO));
        RunInstancesResponse other = ec2.runInstances(launch("builder-release-43", InstanceType.T3_MICRO));

        assertThat(other.reservationId()).isNotEqualTo(first.reservationId());
        assertThat(ids(other.instances())).doesNotContainAnyElementsOf(ids(first.instances()));
        assertThat(allInstances(ec2)).hasSize(4);
    }

    @Test
    void runInstances_failsWithIdempotentParameterMismatch_whenTokenIsReusedWithOtherParameters(Ec2Client ec2) {
        ec2.runInstances(launch("builder-release-42", InstanceType.T3_MICRO));

        assertThatThrownBy(() -> ec2.runInstances(launch("builder-release-42", InstanceType.T3_LARGE)))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("IdempotentParameterMismatch");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThat(allInstances(ec2)).hasSize(2).allSatisfy(i -> assertThat(i.instanceType()).isEqualTo(InstanceType.T3_MICRO));
    }

    @Test
    void runInstances_retryShowsCurrentState_afterInstancesWereTerminated(Ec2Client ec2) {
        RunInstancesResponse first = ec2.runInstances(launch("builder-release-42", InstanceType.T3_MICRO));
        ec2.terminateInstances(b -> b.instanceIds(ids(first.instances())));

        RunInstancesResponse retry = ec2.runInstances(launch("builder-release-42", InstanceType.T3_MICRO));

        assertThat(ids(retry.instances())).containsExactlyElementsOf(ids(first.instances()));
        assertThat(retry.instances()).allSatisfy(i -> assertThat(i.state().name()).isEqualTo(InstanceStateName.TERMINATED));
        assertThat(allInstances(ec2)).hasSize(2); // nothing relaunched
    }

    @Test
    void describeInstances_filtersByClientToken(Ec2Client ec2) {
        RunInstancesResponse r42 = ec2.runInstances(launch("builder-release-42", InstanceType.T3_MICRO));
        RunInstancesResponse r43 = ec2.runInstances(launch("builder-release-43", InstanceType.T3_MICRO));

        assertThat(instances(ec2, b -> b.filters(token("builder-release-42"))))
                .extracting(Instance::instanceId).containsExactlyInAnyOrderElementsOf(ids(r42.instances()));
        assertThat(instances(ec2, b -> b.filters(token("builder-release-4*"))))
                .extracting(Instance::instanceId).hasSize(4);
        assertThat(instances(ec2, b -> b.filters(token("builder-release-43"),
                Filter.builder().name("instance-state-name").values("running", "pending").build())))
                .extracting(Instance::instanceId).containsExactlyInAnyOrderElementsOf(ids(r43.instances()));
        assertThat(instances(ec2, b -> b.filters(token("never-used")))).isEmpty();
    }

    // ---- helpers ----

    private static String securityGroup(Ec2Client ec2, String name) {
        return ec2.createSecurityGroup(b -> b.groupName(name).description(name)).groupId();
    }

    /** v1 of the "app" template, as the pipeline makes it. */
    private static String appTemplate(Ec2Client ec2, String securityGroupId) {
        return ec2.createLaunchTemplate(b -> b.launchTemplateName("app").launchTemplateData(d -> d
                .imageId(GOLDEN_AMI)
                .instanceType(InstanceType.T3_MICRO)
                .metadataOptions(m -> m.httpTokens(LaunchTemplateHttpTokensState.REQUIRED))
                .blockDeviceMappings(m -> m.deviceName("/dev/xvda")
                        .ebs(e -> e.encrypted(true).volumeSize(20).volumeType(VolumeType.GP3)))
                .iamInstanceProfile(p -> p.name("app-instance-profile"))
                .userData(USER_DATA)
                .securityGroupIds(securityGroupId)))
                .launchTemplate().launchTemplateId();
    }

    private static ResponseLaunchTemplateData data(Ec2Client ec2, String templateId, String version) {
        return ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(templateId).versions(version))
                .launchTemplateVersions().getFirst().launchTemplateData();
    }

    private static RunInstancesRequest launch(String clientToken, InstanceType type) {
        return RunInstancesRequest.builder().clientToken(clientToken).imageId(GOLDEN_AMI).instanceType(type)
                .minCount(2).maxCount(2).build();
    }

    private static Filter token(String value) {
        return Filter.builder().name("client-token").values(value).build();
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::instanceId).toList();
    }

    private static List<Instance> allInstances(Ec2Client ec2) {
        return instances(ec2, b -> {});
    }

    private static List<Instance> instances(Ec2Client ec2,
            Consumer<software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest.Builder> request) {
        return ec2.describeInstancesPaginator(request).reservations().stream()
                .map(Reservation::instances).flatMap(List::stream).toList();
    }
}
