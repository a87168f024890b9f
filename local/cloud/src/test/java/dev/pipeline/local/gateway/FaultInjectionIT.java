package dev.pipeline.local.gateway;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Faults injected by rule reach real SDK clients shaped as AWS shapes them, and the counters see every attempt. */
@ExtendWith(LocalCloudExtension.class)
class FaultInjectionIT {

    @Test
    void throttling30Percent_onDescribeInstances_standardRetriesStillSucceed_andCountersShowTheExtraAttempts(LocalCloud cloud) {
        cloud.gateway().faults().seed(7);
        cloud.injectFault(FaultRule.throttle("ec2", "DescribeInstances", 0.3));
        try (Ec2Client ec2 = cloud.newClient(Ec2Client.class, o -> o.retryStrategy(RetryMode.STANDARD))) {

            for (int i = 0; i < 20; i++) {
                assertThat(ec2.describeInstances().reservations()).isNotNull();
            }

            int throttled = cloud.gateway().faults().injectedErrors();
            assertThat(throttled).as("some calls were throttled").isPositive();
            assertThat(cloud.count("ec2", "DescribeInstances")).isEqualTo(20L + throttled);
            assertThat(cloud.count("ec2", "DescribeVpcs")).as("other operations untouched").isZero();
        }
    }

    @Test
    void throttling_isParsedAsThrottlingByEverySdkProtocol(LocalCloud cloud) {
        cloud.injectFault(FaultRule.throttle("*", "*", 1.0));
        try (Ec2Client ec2 = cloud.newClientWithoutRetries(Ec2Client.class);
             AutoScalingClient asg = cloud.newClientWithoutRetries(AutoScalingClient.class);
             SfnClient sfn = cloud.newClientWithoutRetries(SfnClient.class);
             Route53Client r53 = cloud.newClientWithoutRetries(Route53Client.class);
             S3Client s3 = cloud.newClientWithoutRetries(S3Client.class)) {
            assertThrottled(() -> ec2.describeInstances(), "RequestLimitExceeded");
            assertThrottled(() -> asg.describeAutoScalingGroups(), "Throttling");
            assertThrottled(() -> sfn.listStateMachines(), "ThrottlingException");
            assertThrottled(() -> r53.listHostedZones(), "Throttling");
            assertThrottled(() -> s3.listBuckets(), "SlowDown");
        }
    }

    @Test
    void notFound_forAJustCreatedResource_thenVisible_likeEventualConsistency(LocalCloud cloud, Ec2Client ec2) {
        String vpc = ec2.describeVpcs().vpcs().getFirst().vpcId();
        String group = ec2.createSecurityGroup(b -> b.groupName("app").description("app").vpcId(vpc)).groupId();
        cloud.injectFault(FaultRule.notFound("ec2", "DescribeSecurityGroups", 2));
        try (Ec2Client noRetry = cloud.newClientWithoutRetries(Ec2Client.class)) {
            Consumer<Integer> describe = i -> noRetry.describeSecurityGroups(b -> b.groupIds(group));

            assertThatThrownBy(() -> describe.accept(1)).isInstanceOf(AwsServiceException.class)
                    .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode()).isEqualTo("InvalidGroup.NotFound"));
            assertThatThrownBy(() -> describe.accept(2)).isInstanceOf(AwsServiceException.class);
            assertThat(noRetry.describeSecurityGroups(b -> b.groupIds(group)).securityGroups()).hasSize(1);
        }
    }

    @Test
    void customError_afterNCalls_reachesTheCallerWithItsCodeAndStatus(LocalCloud cloud) {
        cloud.injectFault(FaultRule.error("ec2", "DescribeVpcs", 403, "UnauthorizedOperation", "not allowed").afterCalls(1));
        try (Ec2Client ec2 = cloud.newClientWithoutRetries(Ec2Client.class)) {
            assertThat(ec2.describeVpcs().vpcs()).isNotEmpty();

            assertThatThrownBy(ec2::describeVpcs).isInstanceOf(AwsServiceException.class)
                    .satisfies(e -> {
                        AwsServiceException a = (AwsServiceException) e;
                        assertThat(a.statusCode()).isEqualTo(403);
                        assertThat(a.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation");
                        assertThat(a.awsErrorDetails().errorMessage()).isEqualTo("not allowed");
                    });
        }
    }

    @Test
    void serverErrors_areRetriedByTheSdk_andTheCallSucceeds(LocalCloud cloud, Ec2Client ec2) {
        cloud.injectFault(FaultRule.serverError("ec2", "DescribeVpcs", 2));

        assertThat(ec2.describeVpcs().vpcs()).isNotEmpty();
        assertThat(cloud.count("ec2", "DescribeVpcs")).isEqualTo(3);
    }

    @Test
    void latency_delaysButDoesNotFailTheCall(LocalCloud cloud, Ec2Client ec2) {
        cloud.injectFault(FaultRule.latency("ec2", "DescribeVpcs", 50));

        assertThat(ec2.describeVpcs().vpcs()).isNotEmpty();
        assertThat(cloud.gateway().faults().injectedErrors()).isZero();
    }

    private static void assertThrottled(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOf(AwsServiceException.class).satisfies(e -> {
            AwsServiceException a = (AwsServiceException) e;
            assertThat(a.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(a.isThrottlingException()).as("SDK sees %s as throttling", code).isTrue();
        });
    }
}
