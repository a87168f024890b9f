package dev.pipeline.spec;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names, tags and image ids that stages derive from the spec, so every stage names things the same way. */
class SpecNamingTest {

    private final EnvironmentSpec example = EnvironmentSpecs.parse(SpecFixtures.example());

    @Test
    void resourceNames_areEnvironmentThenComponent() {
        assertThat(example.resourceName("app-sg")).isEqualTo("vprofile-app-sg");
        assertThat(example.loadBalancerName()).isEqualTo("vprofile-alb");
        assertThat(example.targetGroupName()).isEqualTo("vprofile-tg");
    }

    @Test
    void resourceName_refusesComponentsThatWouldMakeOddNames() {
        assertThatThrownBy(() -> example.resourceName("App SG")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> example.resourceName("-x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void componentTags_carryEnvironmentComponentAndUserTags() {
        Map<String, String> tags = example.tags("alb");

        assertThat(tags).containsExactly(Map.entry("project", "vprofile"),
                Map.entry("pipeline:environment", "vprofile"), Map.entry("pipeline:component", "alb"));
    }

    @Test
    void privateDnsName_isRefusedForAppServers() {
        assertThatThrownBy(() -> example.privateDnsName(Role.APP)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void artifactBucket_isGeneratedFromNameAccountAndRegion_whenNotConfigured() {
        assertThat(example.artifacts().bucket()).isEmpty();

        assertThat(example.artifactBucketName("123456789012", "us-east-1"))
                .isEqualTo("vprofile-123456789012-us-east-1-wars");
    }

    @Test
    void generatedBucketName_fitsS3Limit_forTheLongestEnvironmentName() {
        EnvironmentSpec longest = EnvironmentSpecs.parse(
                SpecFixtures.minimalWith(root -> root.put("name", "a".repeat(SpecRules.ENV_NAME_MAX))));

        assertThat(longest.artifactBucketName("123456789012", "ap-southeast-5")).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void configuredBucket_winsOverTheGeneratedOne() {
        EnvironmentSpec spec = EnvironmentSpecs.parse(
                SpecFixtures.minimalWith(root -> root.withObject("artifacts").put("bucket", "shop-wars")));

        assertThat(spec.artifactBucketName("123456789012", "us-east-1")).isEqualTo("shop-wars");
    }

    @Test
    void imageId_isWhatEc2Resolves() {
        assertThat(AmiRef.of("ami-0123456789abcdef0").imageId()).isEqualTo("ami-0123456789abcdef0");
        assertThat(AmiRef.of("ami-0123456789abcdef0").ssmParameter()).isEmpty();
        assertThat(AmiRef.of("/aws/service/x/y").imageId()).isEqualTo("resolve:ssm:/aws/service/x/y");
        assertThat(AmiRef.of("resolve:ssm:/golden/app:7").imageId()).isEqualTo("resolve:ssm:/golden/app:7");
        assertThat(AmiRef.of("resolve:ssm:/golden/app:7").ssmParameter()).contains("/golden/app:7");
    }

    @Test
    void validate_appliesTheSameRulesToASpecBuiltInCode() {
        // given a spec built directly, with a world-open admin CIDR the records themselves do not check
        Map<Role, Instance> instances = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            instances.put(role, SpecDefaults.instance(role));
        }
        EnvironmentSpec built = new EnvironmentSpec("shop", Optional.empty(),
                new Network("vpc-0a1b2c3d4e5f60718", List.of("subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"),
                        List.of("subnet-0a1b2c3d4e5f60713"), "0.0.0.0/0", false),
                "vprofile.in", instances, example.fleet(), example.loadBalancer(), example.artifacts(),
                example.deployment(), Map.of());

        // when validated, then it is refused like the same document would be
        assertThatThrownBy(() -> EnvironmentSpecs.validate(built))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems())
                        .extracting(Problem::path).containsExactly("network.adminCidr"));
    }

    @Test
    void spec_isImmutable() {
        assertThatThrownBy(() -> example.extraTags().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> example.network().appSubnets().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> example.instances().remove(Role.DB)).isInstanceOf(UnsupportedOperationException.class);
    }
}
