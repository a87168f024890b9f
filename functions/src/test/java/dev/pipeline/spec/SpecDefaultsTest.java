package dev.pipeline.spec;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a minimal spec turns into, and that a spec survives being written and read back. */
class SpecDefaultsTest {

    @Test
    void minimalSpec_getsEveryDefault() {
        // given only the required fields
        // when parsed
        EnvironmentSpec spec = EnvironmentSpecs.parse(SpecFixtures.MINIMAL);

        // then every other value is the documented default
        assertThat(spec.region()).isEmpty();
        assertThat(spec.network().sshEnabled()).isFalse();
        assertThat(spec.privateZone()).isEqualTo("vprofile.in");
        assertThat(spec.privateDnsName(Role.DB)).isEqualTo("db01.vprofile.in");
        assertThat(spec.privateDnsName(Role.MC)).isEqualTo("mc01.vprofile.in");
        assertThat(spec.privateDnsName(Role.RMQ)).isEqualTo("rmq01.vprofile.in");
        for (Role role : Role.values()) {
            assertThat(spec.instance(role).ami().value())
                    .isEqualTo("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        }
        assertThat(spec.instance(Role.MC).instanceType()).isEqualTo("t3.micro");
        assertThat(spec.instance(Role.APP).instanceType()).isEqualTo("t3.small");
        assertThat(spec.fleet()).isEqualTo(new Fleet(1, 2, 4));
        assertThat(spec.loadBalancer().certificateArn()).isEmpty();
        assertThat(spec.loadBalancer().stickinessSeconds()).isEqualTo(86_400);
        assertThat(spec.loadBalancer().healthCheck()).isEqualTo(new HealthCheck("/login", 15, 5, 3, 2, "200"));
        assertThat(spec.artifacts().bucket()).isEmpty();
        assertThat(spec.artifacts().bootstrapWarKey()).isEqualTo("bootstrap/ROOT.war");
        assertThat(spec.artifacts().keepReleases()).isEqualTo(3);
        assertThat(spec.deployment()).isEqualTo(new Deployment(120, 100, 200, 120, new Deployment.Alarms(10, 2),
                new Deployment.InPlace("CodeDeployDefault.OneAtATime")));
        assertThat(spec.extraTags()).isEmpty();
        assertThat(spec.tags()).isEqualTo(Map.of("pipeline:environment", "shop"));
    }

    @Test
    void partialFleet_defaultsAroundTheGivenValues() {
        // given only a maximum of one instance
        String json = SpecFixtures.minimalWith(root -> root.putObject("fleet").put("max", 1));

        // when parsed
        EnvironmentSpec spec = EnvironmentSpecs.parse(json);

        // then min and desired fit under it instead of tripping over their defaults
        assertThat(spec.fleet()).isEqualTo(new Fleet(1, 1, 1));
    }

    @Test
    void nullValues_countAsAbsent() {
        // given optional fields written as null
        String json = SpecFixtures.minimalWith(root -> {
            root.putNull("region");
            root.withObject("loadBalancer").putNull("certificateArn");
            root.withObject("artifacts").putNull("bucket");
        });

        // when parsed
        EnvironmentSpec spec = EnvironmentSpecs.parse(json);

        // then they take their defaults
        assertThat(spec.region()).isEmpty();
        assertThat(spec.loadBalancer().httpsEnabled()).isFalse();
        assertThat(spec.artifacts().bucket()).isEmpty();
    }

    @Test
    void serializeThenParse_givesAnEqualSpec_forMinimalExampleAndFullSpecs() {
        // given a minimal spec, the example, and a spec using every optional field
        String full = SpecFixtures.minimalWith(root -> {
            root.put("region", "eu-west-1");
            root.withObject("network").put("sshEnabled", true).put("adminCidr", "2001:db8:1234::/48");
            root.put("privateZone", "shop.internal");
            root.withObject("instances").withObject("db").put("hostname", "mariadb")
                    .put("ami", "ami-0123456789abcdef0").put("instanceType", "m7g.large");
            root.withObject("instances").withObject("app").put("ami", "resolve:ssm:/golden/app:7");
            root.withObject("fleet").put("min", 2).put("desired", 3).put("max", 6);
            root.withObject("loadBalancer")
                    .put("certificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/"
                            + "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d")
                    .put("stickinessSeconds", 3600)
                    .withObject("healthCheck").put("path", "/health?deep=1").put("successCodes", "200,302");
            root.withObject("artifacts").put("bucket", "shop-wars").put("bootstrapWarKey", "seed/app.war")
                    .put("keepReleases", 5);
            root.withObject("deployment").put("instanceWarmupSeconds", 120).put("minHealthyPercentage", 50)
                    .put("maxHealthyPercentage", 150);
            root.withObject("tags").put("cost center", "4711").put("owner", "team@example.com");
        });

        for (String json : new String[] {SpecFixtures.MINIMAL, SpecFixtures.example(), full}) {
            EnvironmentSpec spec = EnvironmentSpecs.parse(json);

            // when written and read back
            EnvironmentSpec again = EnvironmentSpecs.parse(EnvironmentSpecs.toJson(spec));

            // then nothing was lost or changed
            assertThat(again).isEqualTo(spec);
        }
    }

    @Test
    void serializedSpec_writesDefaultsOut() {
        // given a minimal spec
        EnvironmentSpec spec = EnvironmentSpecs.parse(SpecFixtures.MINIMAL);

        // when written
        String json = EnvironmentSpecs.toJson(spec);

        // then what will run is visible in the document
        assertThat(json).contains("\"privateZone\": \"vprofile.in\"", "\"stickinessSeconds\": 86400",
                "\"minHealthyPercentage\": 100", "\"maxHealthyPercentage\": 200", "\"hostname\": \"rmq01\"", "\"specVersion\": 1");
        assertThat(json).doesNotContain("certificateArn", "\"bucket\"", "\"region\"");
    }
}
