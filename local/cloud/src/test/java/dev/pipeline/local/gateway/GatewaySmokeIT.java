package dev.pipeline.local.gateway;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.local.lambda.FunctionDefinition;
import dev.pipeline.local.testfns.FlakyHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class GatewaySmokeIT {

    @Test
    void forwardsCallsToMoto_andCountsThem(LocalCloud cloud, S3Client s3, Ec2Client ec2) {
        s3.createBucket(b -> b.bucket("artifacts"));
        s3.putObject(b -> b.bucket("artifacts").key("releases/app.war"), RequestBody.fromString("war"));
        assertThat(s3.headObject(b -> b.bucket("artifacts").key("releases/app.war")).contentLength()).isEqualTo(3L);
        assertThat(ec2.describeVpcs().vpcs()).isNotEmpty();
        assertThat(cloud.count("s3", "PutObject")).isEqualTo(1);
        assertThat(cloud.count("ec2", "DescribeVpcs")).isEqualTo(1);
    }

    @Test
    void stateMachineTask_isServedByOurHandler(LocalCloud cloud, SfnClient sfn, software.amazon.awssdk.services.iam.IamClient iam) throws Exception {
        cloud.register(FunctionDefinition.of("Flaky", FlakyHandler.class));
        String def = """
            {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"%s","End":true}}}
            """.formatted(LocalCloud.functionArn("Flaky"));
        String arn = sfn.createStateMachine(b -> b.name("smoke").definition(def)
                .roleArn(dev.pipeline.local.junit.TestRoles.statesRole(iam, "sfn", "Flaky"))).stateMachineArn();
        String exec = sfn.startExecution(b -> b.stateMachineArn(arn).name("one").input("{}")).executionArn();
        ExecutionStatus status = null;
        for (int i = 0; i < 100; i++) {
            status = sfn.describeExecution(b -> b.executionArn(exec)).status();
            if (status != ExecutionStatus.RUNNING) break;
            Thread.sleep(100);
        }
        assertThat(status).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(sfn.describeExecution(b -> b.executionArn(exec)).output()).contains("\"Flaky\"");
    }
}
