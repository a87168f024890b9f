package dev.pipeline.local.elb;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TargetHealthXmlTest {
    // shaped as moto 5.2.1 answers: every registered instance "healthy"
    private static final String MOTO = "<DescribeTargetHealthResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
            + "<DescribeTargetHealthResult><TargetHealthDescriptions>"
            + member("i-good") + member("i-bad") + member("i-gone") + member("10.0.0.9")
            + "</TargetHealthDescriptions></DescribeTargetHealthResult>"
            + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeTargetHealthResponse>";

    private static String member(String id) {
        return "<member><Target><Id>" + id + "</Id><Port>8080</Port></Target><HealthCheckPort>traffic-port</HealthCheckPort>"
                + "<TargetHealth><State>healthy</State></TargetHealth></member>";
    }

    @Test
    void members_areEveryListedTarget_withItsPort() {
        assertThat(TargetHealthXml.members(MOTO)).containsExactly(new TargetHealthXml.Member("i-good", 8080),
                new TargetHealthXml.Member("i-bad", 8080), new TargetHealthXml.Member("i-gone", 8080), new TargetHealthXml.Member("10.0.0.9", 8080));
    }

    @Test
    void rewrite_setsStateReasonAndDescription_dropsRemoved_andLeavesTheRest() {
        String out = TargetHealthXml.rewrite(MOTO, m -> switch (m.id()) {
            case "i-bad" -> Optional.of(new LoadBalancers.Health("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]"));
            case "i-gone" -> Optional.of(TargetHealthXml.REMOVE);
            case "i-good" -> Optional.of(LoadBalancers.Health.HEALTHY);
            default -> Optional.empty();
        });
        assertThat(out).contains("<Id>i-bad</Id><Port>8080</Port></Target><HealthCheckPort>traffic-port</HealthCheckPort>"
                + "<TargetHealth><State>unhealthy</State><Reason>Target.ResponseCodeMismatch</Reason>"
                + "<Description>Health checks failed with these codes: [500]</Description></TargetHealth>");
        assertThat(out).contains("<Id>i-good</Id><Port>8080</Port></Target><HealthCheckPort>traffic-port</HealthCheckPort>"
                + "<TargetHealth><State>healthy</State></TargetHealth>");
        assertThat(out).doesNotContain("i-gone").contains("10.0.0.9");
    }
}
