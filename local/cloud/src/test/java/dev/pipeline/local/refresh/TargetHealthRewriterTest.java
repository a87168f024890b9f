package dev.pipeline.local.refresh;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TargetHealthRewriterTest {
    // shaped as moto 5.2.1 answers: every registered instance "healthy", terminated ones included
    private static final String MOTO = "<DescribeTargetHealthResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
            + "<DescribeTargetHealthResult><TargetHealthDescriptions>"
            + member("i-live-good") + member("i-live-bad") + member("i-gone") + member("10.0.0.9")
            + "</TargetHealthDescriptions></DescribeTargetHealthResult>"
            + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeTargetHealthResponse>";

    private static final Map<String, MotoAutoScaling.InstanceFacts> FACTS = Map.of(
            "i-live-good", new MotoAutoScaling.InstanceFacts("i-live-good", "ami-good", "running"),
            "i-live-bad", new MotoAutoScaling.InstanceFacts("i-live-bad", "ami-bad", "running"),
            "i-gone", new MotoAutoScaling.InstanceFacts("i-gone", "ami-good", "terminated"));

    private static String member(String id) {
        return "<member><Target><Id>" + id + "</Id><Port>8080</Port></Target><HealthCheckPort>traffic-port</HealthCheckPort>"
                + "<TargetHealth><State>healthy</State></TargetHealth></member>";
    }

    @Test
    void instanceIds_areTheInstanceTargetsOnly() {
        assertThat(TargetHealthRewriter.instanceIds(MOTO)).containsExactly("i-live-good", "i-live-bad", "i-gone");
    }

    @Test
    void unhealthyImage_makesItsInstancesUnhealthy_withTheFailedHealthChecksReason() {
        String out = TargetHealthRewriter.rewrite(MOTO, false, FACTS, "ami-bad"::equals);
        assertThat(out).contains("<Id>i-live-bad</Id><Port>8080</Port></Target><HealthCheckPort>traffic-port</HealthCheckPort>"
                + "<TargetHealth><State>unhealthy</State><Reason>Target.FailedHealthChecks</Reason>");
        assertThat(out).contains("<Id>i-live-good</Id><Port>8080</Port></Target><HealthCheckPort>traffic-port</HealthCheckPort>"
                + "<TargetHealth><State>healthy</State></TargetHealth>");
    }

    @Test
    void terminatedInstances_disappear_fromAListingOfTheWholeGroup() {
        String out = TargetHealthRewriter.rewrite(MOTO, false, FACTS, id -> false);
        assertThat(out).doesNotContain("i-gone").contains("i-live-good").contains("10.0.0.9");
    }

    @Test
    void terminatedInstances_readUnusedInvalidState_whenAskedForByName() {
        String out = TargetHealthRewriter.rewrite(MOTO, true, FACTS, id -> false);
        assertThat(out).contains("<Id>i-gone</Id><Port>8080</Port></Target><HealthCheckPort>traffic-port</HealthCheckPort>"
                + "<TargetHealth><State>unused</State><Reason>Target.InvalidState</Reason>");
    }
}
