package dev.pipeline.provision.network;

import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityGroupLayoutTest {
    private static final ProvisionSecurityGroupsOutput IDS =
            new ProvisionSecurityGroupsOutput("sg-0aaaaaaaaaaaaaaa1", "sg-0bbbbbbbbbbbbbbb2", "sg-0ccccccccccccccc3");

    @Test
    void seedTable_withoutCertificateOrSsh() {
        Map<String, List<SgRule>> rules = SecurityGroupLayout.rules(spec("\"203.0.113.10/32\"", false, false), IDS);

        assertThat(rules.get("alb-sg")).extracting(SgRule::toString).containsExactlyInAnyOrder(
                "tcp 80 from 0.0.0.0/0", "tcp 80 from ::/0", "all traffic to 0.0.0.0/0");
        assertThat(rules.get("app-sg")).extracting(SgRule::toString).containsExactlyInAnyOrder(
                "tcp 8080 from sg-0aaaaaaaaaaaaaaa1", "tcp 8080 from 203.0.113.10/32", "all traffic to 0.0.0.0/0");
        assertThat(rules.get("backend-sg")).extracting(SgRule::toString).containsExactlyInAnyOrder(
                "tcp 3306 from sg-0bbbbbbbbbbbbbbb2", "tcp 11211 from sg-0bbbbbbbbbbbbbbb2", "tcp 5672 from sg-0bbbbbbbbbbbbbbb2",
                "all traffic from sg-0ccccccccccccccc3", "all traffic to 0.0.0.0/0");
    }

    @Test
    void certificate_opens443_onTheLoadBalancerOnly() {
        Map<String, List<SgRule>> rules = SecurityGroupLayout.rules(spec("\"203.0.113.10/32\"", true, false), IDS);

        assertThat(rules.get("alb-sg")).extracting(SgRule::toString).contains("tcp 443 from 0.0.0.0/0", "tcp 443 from ::/0");
        assertThat(rules.get("app-sg")).noneMatch(r -> r.fromPort() == 443);
    }

    @Test
    void ssh_isOpenedFromTheAdminCidrOnly_onAppAndBackends() {
        Map<String, List<SgRule>> rules = SecurityGroupLayout.rules(spec("\"2001:db8::10/128\"", false, true), IDS);

        for (String group : List.of("app-sg", "backend-sg")) {
            assertThat(rules.get(group)).filteredOn(r -> r.fromPort() == 22).singleElement()
                    .satisfies(r -> assertThat(r.peer()).isEqualTo(new Peer(Peer.Kind.IPV6, "2001:db8::10/128")));
        }
        assertThat(rules.get("alb-sg")).noneMatch(r -> r.fromPort() == 22);
    }

    @Test
    void onlyTheLoadBalancersWebPorts_areOpenToTheInternet_andEveryRuleIsDescribed() {
        Map<String, List<SgRule>> rules = SecurityGroupLayout.rules(spec("\"203.0.113.10/32\"", true, true), IDS);

        rules.forEach((group, list) -> list.forEach(r -> {
            assertThat(r.description()).as(group + " " + r).isNotBlank();
            if (!r.egress() && r.peer().worldOpen()) {
                assertThat(group).isEqualTo("alb-sg");
                assertThat(r.fromPort()).isIn(80, 443);
            }
        }));
    }

    private static EnvironmentSpec spec(String adminCidr, boolean certificate, boolean ssh) {
        return EnvironmentSpecs.parse("""
                {"specVersion": 1, "name": "vprofile",
                 "network": {"vpcId": "vpc-0a1b2c3d4e5f60718",
                   "publicSubnets": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
                   "appSubnets": ["subnet-0a1b2c3d4e5f60713"], "adminCidr": %s, "sshEnabled": %s}
                 %s}
                """.formatted(adminCidr, ssh, certificate
                ? ", \"loadBalancer\": {\"certificateArn\": \"arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d\"}"
                : ""));
    }
}
