package dev.pipeline.local.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultRuleTest {

    private static AwsRequest ec2(String op) {
        return new AwsRequest("POST", "/", null, Map.of(), new byte[0], "ec2", op, Protocol.EC2);
    }

    @Test
    void rulesWithoutAKindOrWithImpossibleValues_areRefused() {
        assertThatThrownBy(() -> new FaultRule("ec2", "*", null, null, null, null, null, null, null, null))
                .hasMessageContaining("needs a kind");
        assertThatThrownBy(() -> FaultRule.throttle("ec2", "*", 1.5)).hasMessageContaining("probability");
        assertThatThrownBy(() -> new FaultRule("ec2", "*", FaultRule.Kind.ERROR, null, null, null, null, null, null, null))
                .hasMessageContaining("needs a code");
        assertThatThrownBy(() -> new FaultRule("ec2", "*", FaultRule.Kind.LATENCY, null, null, null, null, null, null, null))
                .hasMessageContaining("latencyMs");
    }

    @Test
    void countLimitsHowManyCallsAreFaulted_andSkipLetsTheFirstOnesThrough() throws Exception {
        FaultInjector f = new FaultInjector();
        f.add(FaultRule.serverError("ec2", "DescribeInstances", 2).afterCalls(1));

        List<Boolean> faulted = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) faulted.add(f.apply(ec2("DescribeInstances")) != null);

        assertThat(faulted).containsExactly(false, true, true, false, false);
        assertThat(f.apply(ec2("DescribeVpcs"))).as("other operations pass").isNull();
        assertThat(f.injectedErrors()).isEqualTo(2);
    }

    @Test
    void throttleAnswer_usesTheServicesOwnCodeAndErrorShape() throws Exception {
        FaultInjector f = new FaultInjector();
        f.add(FaultRule.throttle("*", "*", 1.0));

        GatewayResponse r = f.apply(ec2("DescribeInstances"));

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.bodyText()).contains("<Response><Errors><Error><Code>RequestLimitExceeded</Code>");
    }
}
