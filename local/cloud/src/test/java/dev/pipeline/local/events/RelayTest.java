package dev.pipeline.local.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which target ARNs the relay takes over from moto, and the function a Lambda ARN names. */
class RelayTest {

    @Test
    void lambdaFunctionArns_withOrWithoutQualifier_areRelayed() {
        assertThat(Relay.isRelayed("arn:aws:lambda:us-east-1:123456789012:function:dev-StartDeploy")).isTrue();
        assertThat(Relay.isRelayed("arn:aws:lambda:us-east-1:123456789012:function:dev-StartDeploy:live")).isTrue();
        assertThat(Relay.isRelayed("arn:aws:lambda:us-east-1:123456789012:function:dev-StartDeploy:7")).isTrue();
        assertThat(Relay.isRelayed("arn:aws-cn:lambda:cn-north-1:123456789012:function:f")).isTrue();
        assertThat(Relay.isRelayed("arn:aws:states:us-east-1:123456789012:stateMachine:deploy")).isTrue();
    }

    @Test
    void otherTargets_areLeftToMoto() {
        assertThat(Relay.isRelayed("arn:aws:sqs:us-east-1:123456789012:queue")).isFalse();
        assertThat(Relay.isRelayed("arn:aws:sns:us-east-1:123456789012:topic")).isFalse();
        assertThat(Relay.isRelayed("arn:aws:lambda:us-east-1:123456789012:layer:l:1")).isFalse();
        assertThat(Relay.isRelayed("arn:aws:lambda:us-east-1:123456789012:function:")).isFalse();
        assertThat(Relay.isRelayed("arn:aws:lambda:us-east-1:123456789012:function:f:")).isFalse();
        assertThat(Relay.isRelayed("arn:aws:lambda:us-east-1:123456789012:function:f:live:extra")).isFalse();
        assertThat(Relay.isRelayed(null)).isFalse();
    }

    @Test
    void functionName_dropsTheQualifier() {
        assertThat(Relay.functionName("arn:aws:lambda:us-east-1:123456789012:function:dev-StartDeploy:live"))
                .isEqualTo("dev-StartDeploy");
        assertThat(Relay.functionName("arn:aws:lambda:us-east-1:123456789012:function:dev-StartDeploy"))
                .isEqualTo("dev-StartDeploy");
    }
}
