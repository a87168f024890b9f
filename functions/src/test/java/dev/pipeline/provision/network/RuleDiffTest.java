package dev.pipeline.provision.network;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RuleDiffTest {
    private static final Peer ADMIN = Peer.cidr("203.0.113.10/32");
    private static final Peer ALB = Peer.group("sg-0aaaaaaaaaaaaaaa1");
    private static final SgRule TOMCAT_FROM_ALB = SgRule.tcpIn(8080, ALB, "Tomcat from the load balancer");
    private static final SgRule TOMCAT_FROM_ADMIN = SgRule.tcpIn(8080, ADMIN, "Tomcat from the admin CIDR");
    private static final SgRule EGRESS = SgRule.allOut(Peer.ANY_IPV4, "all outbound");

    @Test
    void nothingToDo_whenActualEqualsDesired() {
        RuleDiff diff = RuleDiff.between(List.of(TOMCAT_FROM_ALB, TOMCAT_FROM_ADMIN, EGRESS),
                List.of(actual("r1", TOMCAT_FROM_ALB), actual("r2", TOMCAT_FROM_ADMIN), actual("r3", EGRESS)));

        assertThat(diff.isEmpty()).isTrue();
    }

    @Test
    void missingRulesAreAuthorized_andUnexpectedOnesRevoked() {
        SgRule worldMysql = SgRule.tcpIn(3306, Peer.ANY_IPV4, "added by hand");

        RuleDiff diff = RuleDiff.between(List.of(TOMCAT_FROM_ALB, TOMCAT_FROM_ADMIN, EGRESS),
                List.of(actual("r1", TOMCAT_FROM_ALB), actual("r9", worldMysql), actual("r3", EGRESS)));

        assertThat(diff.toAuthorize()).containsExactly(TOMCAT_FROM_ADMIN);
        assertThat(diff.toRevoke()).extracting(ActualRule::ruleId).containsExactly("r9");
        assertThat(diff.toRedescribe()).isEmpty();
    }

    @Test
    void sameRuleFromAnotherPeer_isARevokePlusAnAuthorize() {
        // the admin moved: the old range must stop working, the new one start
        SgRule oldAdmin = SgRule.tcpIn(8080, Peer.cidr("198.51.100.0/24"), "Tomcat from the admin CIDR");

        RuleDiff diff = RuleDiff.between(List.of(TOMCAT_FROM_ADMIN), List.of(actual("r1", oldAdmin)));

        assertThat(diff.toRevoke()).extracting(ActualRule::ruleId).containsExactly("r1");
        assertThat(diff.toAuthorize()).containsExactly(TOMCAT_FROM_ADMIN);
    }

    @Test
    void portsAndDirectionAreTheRulesIdentity() {
        SgRule ssh = SgRule.tcpIn(22, ADMIN, "Tomcat from the admin CIDR");
        SgRule outbound8080 = new SgRule(true, "tcp", 8080, 8080, ADMIN, "Tomcat from the admin CIDR");

        RuleDiff diff = RuleDiff.between(List.of(TOMCAT_FROM_ADMIN), List.of(actual("r1", ssh), actual("r2", outbound8080)));

        assertThat(diff.toRevoke()).extracting(ActualRule::ruleId).containsExactly("r1", "r2");
        assertThat(diff.toAuthorize()).containsExactly(TOMCAT_FROM_ADMIN);
    }

    @Test
    void aDifferentDescription_isRewrittenInPlace_neverRevoked() {
        SgRule renamed = SgRule.tcpIn(8080, ADMIN, "old words");
        SgRule undescribedEgress = SgRule.allOut(Peer.ANY_IPV4, null); // what AWS gives a new group

        RuleDiff diff = RuleDiff.between(List.of(TOMCAT_FROM_ADMIN, EGRESS),
                List.of(actual("r1", renamed), actual("r2", undescribedEgress)));

        assertThat(diff.toRevoke()).isEmpty();
        assertThat(diff.toAuthorize()).isEmpty();
        assertThat(diff.toRedescribe()).extracting(r -> r.actual().ruleId() + "=" + r.description())
                .containsExactly("r1=Tomcat from the admin CIDR", "r2=all outbound");
    }

    @Test
    void aGroupRuleReportedWithoutDescription_matches_becauseTheEmulatorDropsThem() {
        RuleDiff diff = RuleDiff.between(List.of(TOMCAT_FROM_ALB),
                List.of(actual("r1", SgRule.tcpIn(8080, ALB, null))));

        assertThat(diff.isEmpty()).isTrue();
    }

    @Test
    void allTraffic_ignoresWhatPortsAreReported() {
        // DescribeSecurityGroupRules reports -1/-1, DescribeSecurityGroups nothing; both are the same rule
        SgRule reported = new SgRule(true, "-1", 0, 65535, Peer.ANY_IPV4, "all outbound");

        RuleDiff diff = RuleDiff.between(List.of(EGRESS), List.of(actual("r1", reported)));

        assertThat(diff.isEmpty()).isTrue();
    }

    @Test
    void aSecondCopyOfAKey_isRevoked() {
        RuleDiff diff = RuleDiff.between(List.of(TOMCAT_FROM_ADMIN),
                List.of(actual("r1", TOMCAT_FROM_ADMIN), actual("r2", TOMCAT_FROM_ADMIN)));

        assertThat(diff.toRevoke()).extracting(ActualRule::ruleId).containsExactly("r2");
        assertThat(diff.toAuthorize()).isEmpty();
    }

    @Test
    void protocolCase_doesNotMatter() {
        RuleDiff diff = RuleDiff.between(List.of(TOMCAT_FROM_ADMIN),
                List.of(actual("r1", new SgRule(false, "TCP", 8080, 8080, ADMIN, "Tomcat from the admin CIDR"))));

        assertThat(diff.isEmpty()).isTrue();
    }

    private static ActualRule actual(String id, SgRule rule) {
        return new ActualRule(id, "sg-0bbbbbbbbbbbbbbb2", rule);
    }
}
