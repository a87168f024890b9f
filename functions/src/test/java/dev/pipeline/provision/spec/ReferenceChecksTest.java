package dev.pipeline.provision.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.InvalidSpecException;
import dev.pipeline.spec.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReferenceChecksTest {
    private static final String VPC = "vpc-0a1b2c3d4e5f60718";
    private static final String PUB_A = "subnet-0a1b2c3d4e5f60711";
    private static final String PUB_B = "subnet-0a1b2c3d4e5f60712";
    private static final String APP_A = "subnet-0a1b2c3d4e5f60713";
    private static final Map<String, Subnet> ALL_GOOD = Map.of(
            PUB_A, new Subnet(PUB_A, VPC, "us-east-1a"),
            PUB_B, new Subnet(PUB_B, VPC, "us-east-1b"),
            APP_A, new Subnet(APP_A, VPC, "us-east-1a"));

    @Test
    void noProblems_whenEverythingExistsInTheVpc_acrossTwoZones() {
        assertThat(problems(doc(""), Set.of(VPC), ALL_GOOD)).isEmpty();
    }

    @Test
    void aMissingVpc_isOneProblem_notOnePerSubnet() {
        assertThat(problems(doc(""), Set.of(), ALL_GOOD)).extracting(Problem::toString)
                .containsExactly("network.vpcId: VPC " + VPC + " does not exist in us-east-1 (or this account cannot see it)");
    }

    @Test
    void eachMissingSubnet_andEachSubnetOfAnotherVpc_isReportedAtItsPath() {
        Map<String, Subnet> subnets = Map.of(
                PUB_A, new Subnet(PUB_A, VPC, "us-east-1a"),
                APP_A, new Subnet(APP_A, "vpc-0ffffffffffffffff", "us-east-1a"));

        assertThat(problems(doc(""), Set.of(VPC), subnets)).extracting(Problem::path)
                .containsExactly("network.publicSubnets[1]", "network.appSubnets[0]");
        assertThat(problems(doc(""), Set.of(VPC), subnets).get(1).reason())
                .isEqualTo("subnet " + APP_A + " is in vpc-0ffffffffffffffff, not in " + VPC + " (network.vpcId)");
    }

    @Test
    void publicSubnetsInOneZone_isAProblem() {
        Map<String, Subnet> subnets = Map.of(
                PUB_A, new Subnet(PUB_A, VPC, "us-east-1a"),
                PUB_B, new Subnet(PUB_B, VPC, "us-east-1a"),
                APP_A, new Subnet(APP_A, VPC, "us-east-1b"));

        assertThat(problems(doc(""), Set.of(VPC), subnets)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("network.publicSubnets");
            assertThat(p.reason()).startsWith("all in one Availability Zone (us-east-1a)");
        });
    }

    @Test
    void aZoneCount_isNotClaimed_whenAPublicSubnetIsAlreadyWrong() {
        Map<String, Subnet> subnets = Map.of(PUB_A, new Subnet(PUB_A, VPC, "us-east-1a"), APP_A, ALL_GOOD.get(APP_A));

        assertThat(problems(doc(""), Set.of(VPC), subnets)).extracting(Problem::path)
                .containsExactly("network.publicSubnets[1]");
    }

    @Test
    void aRegionOtherThanThePipelines_isAProblem() {
        assertThat(problems(doc("\"region\": \"eu-west-1\","), Set.of(VPC), ALL_GOOD)).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("region"));
    }

    @Test
    void idsWithFormatProblems_areNotLookedUp_andOtherReferencesStillAre() {
        JsonNode document = tree("""
                {"specVersion": 1, "name": "shop", "fleet": {"min": 9, "max": 1},
                 "network": {"vpcId": "vpc-nothex", "publicSubnets": ["subnet-0a1b2c3d4e5f60711", "nonsense"],
                             "appSubnets": ["subnet-0a1b2c3d4e5f60713"], "adminCidr": "198.51.100.7/32"}}""");
        List<Problem> format = formatProblems(document);

        SpecReferences refs = SpecReferences.from(document, format);

        assertThat(refs.vpc()).isEmpty();
        assertThat(refs.subnetIds()).containsExactly(PUB_A, APP_A);
        assertThat(refs.publicSubnetsComplete()).isFalse();
    }

    private static List<Problem> problems(JsonNode document, Set<String> vpcs, Map<String, Subnet> subnets) {
        return ReferenceChecks.problems(SpecReferences.from(document, formatProblems(document)), vpcs, subnets, "us-east-1");
    }

    private static List<Problem> formatProblems(JsonNode document) {
        try {
            EnvironmentSpecs.fromTree(document);
            return List.of();
        } catch (InvalidSpecException e) {
            return e.problems();
        }
    }

    private static JsonNode doc(String extra) {
        return tree("""
                {"specVersion": 1, "name": "shop", %s
                 "network": {"vpcId": "%s", "publicSubnets": ["%s", "%s"], "appSubnets": ["%s"],
                             "adminCidr": "198.51.100.7/32"}}""".formatted(extra, VPC, PUB_A, PUB_B, APP_A));
    }

    private static JsonNode tree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
