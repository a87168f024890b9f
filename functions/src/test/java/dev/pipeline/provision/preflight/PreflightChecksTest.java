package dev.pipeline.provision.preflight;

import dev.pipeline.provision.preflight.AccountFacts.Quota;
import dev.pipeline.provision.preflight.AccountFacts.SubnetFacts;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.Problem;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The preflight's rules on facts written out by hand: what passes, and what each problem says. */
class PreflightChecksTest {
    private static final EnvironmentSpec EXAMPLE = example();
    private static final Set<String> CREATABLE = Set.of("elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com");

    @Test
    void readyAccount_hasNoProblems() {
        assertThat(PreflightChecks.problems(EXAMPLE, ready(), "us-east-1", CREATABLE)).isEmpty();
    }

    @Test
    void theExample_needsEighteenVcpus() {
        // db, mc, rmq, app01 and a bake builder, plus a fleet of up to 4: nine t3 instances of 2 vCPUs
        assertThat(PreflightChecks.vcpusNeeded(EXAMPLE, Map.of("t3.small", 2, "t3.micro", 2))).isEqualTo(18);
    }

    @Test
    void aSubnetRoutedToTheInternetGateway_reachesTheInternet_onlyWithPublicIps() {
        assertThat(new SubnetFacts("s", "a", Optional.of("igw-1"), true).reachesInternet()).isTrue();
        assertThat(new SubnetFacts("s", "a", Optional.of("igw-1"), false).reachesInternet()).isFalse();
        assertThat(new SubnetFacts("s", "a", Optional.of("nat-1"), false).reachesInternet()).isTrue();
        assertThat(new SubnetFacts("s", "a", Optional.empty(), true).reachesInternet()).isFalse();
    }

    @Test
    void appSubnetRoutedToTheInternetGatewayWithoutPublicIps_isToldSo() {
        AccountFacts facts = ready();
        Map<String, SubnetFacts> subnets = new HashMap<>(facts.subnets());
        String app1 = EXAMPLE.network().appSubnets().get(1);
        subnets.put(app1, new SubnetFacts(app1, "us-east-1b", Optional.of("igw-1"), false));

        List<Problem> problems = PreflightChecks.problems(EXAMPLE, with(facts, subnets), "us-east-1", CREATABLE);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("network.appSubnets[1]");
            assertThat(p.reason()).contains("goes to igw-1 but it does not give instances public IPs");
        });
    }

    @Test
    void tooLongANameForTheLoadBalancer_isReported() {
        EnvironmentSpec longName = new EnvironmentSpec("a".repeat(30), EXAMPLE.region(), EXAMPLE.network(), EXAMPLE.privateZone(),
                EXAMPLE.instances(), EXAMPLE.fleet(), EXAMPLE.loadBalancer(), EXAMPLE.artifacts(), EXAMPLE.deployment(), Map.of());

        assertThat(PreflightChecks.names(longName)).extracting(Problem::reason)
                .anySatisfy(r -> assertThat(r).contains("load balancer name " + "a".repeat(30) + "-alb has 34 characters; AWS allows 32"));
    }

    private static AccountFacts ready() {
        Map<String, SubnetFacts> subnets = new HashMap<>();
        List<String> pub = EXAMPLE.network().publicSubnets();
        List<String> app = EXAMPLE.network().appSubnets();
        subnets.put(pub.get(0), new SubnetFacts(pub.get(0), "us-east-1a", Optional.of("igw-1"), false));
        subnets.put(pub.get(1), new SubnetFacts(pub.get(1), "us-east-1b", Optional.of("igw-1"), false));
        subnets.put(app.get(0), new SubnetFacts(app.get(0), "us-east-1a", Optional.of("nat-1"), false));
        subnets.put(app.get(1), new SubnetFacts(app.get(1), "us-east-1b", Optional.of("nat-1"), false));
        return new AccountFacts(Optional.of(EXAMPLE.network().vpcId()), true, true, subnets, Map.of(), Set.of(), Map.of(),
                Map.of("t3.small", 2, "t3.micro", 2), new Quota("L-1216C47A", "vCPUs", 64, 0, "applied"),
                new Quota("L-53DA6B97", "ALBs", 50, 0, "applied"));
    }

    private static AccountFacts with(AccountFacts f, Map<String, SubnetFacts> subnets) {
        return new AccountFacts(f.vpcId(), f.dnsSupport(), f.dnsHostnames(), subnets, f.endpointServices(), f.serviceLinkedRoles(),
                f.images(), f.vcpusByType(), f.vcpus(), f.loadBalancers());
    }

    private static EnvironmentSpec example() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("examples"))) dir = dir.getParent();
        try {
            return EnvironmentSpecs.parse(Files.readString(dir.resolve("examples/vprofile.json")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
