package dev.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped example describes the seed's environment and is already in canonical form. */
class ExampleSpecTest {

    @Test
    void example_describesTheSeedEnvironment() {
        // given the example shipped at the repository root
        String json = SpecFixtures.example();

        // when it is parsed
        EnvironmentSpec spec = EnvironmentSpecs.parse(json);

        // then it has the seed's names, ports and load balancing
        assertThat(spec.name()).isEqualTo("vprofile");
        assertThat(spec.privateZone()).isEqualTo("vprofile.in");
        assertThat(spec.privateDnsName(Role.DB)).isEqualTo("db01.vprofile.in");
        assertThat(spec.privateDnsName(Role.MC)).isEqualTo("mc01.vprofile.in");
        assertThat(spec.privateDnsName(Role.RMQ)).isEqualTo("rmq01.vprofile.in");
        assertThat(spec.instance(Role.APP).hostname()).isEmpty();
        assertThat(Role.DB.port()).isEqualTo(3306);
        assertThat(Role.MC.port()).isEqualTo(11211);
        assertThat(Role.RMQ.port()).isEqualTo(5672);
        assertThat(Role.APP.port()).isEqualTo(8080);
        assertThat(LoadBalancer.HTTP_PORT).isEqualTo(80);
        assertThat(spec.loadBalancer().httpsEnabled()).isFalse();
        assertThat(spec.loadBalancer().stickinessSeconds()).isEqualTo(86_400);
        assertThat(spec.loadBalancer().healthCheck().path()).isEqualTo("/login");
        // and the seed's unsafe parts are not carried over
        assertThat(spec.network().adminCidr()).isEqualTo("203.0.113.10/32");
        assertThat(spec.network().sshEnabled()).isFalse();
        assertThat(spec.network().publicSubnets()).hasSize(2);
        assertThat(spec.tags()).containsEntry("pipeline:environment", "vprofile").containsEntry("project", "vprofile");
    }

    @Test
    void example_isWrittenExactlyAsTheSerializerWritesIt() {
        // given the example
        String json = SpecFixtures.example();

        // when it is parsed and written back
        String written = EnvironmentSpecs.toJson(EnvironmentSpecs.parse(json));

        // then nothing changes: every value in the example is explicit, in the serializer's order and layout
        assertThat(written).isEqualTo(json);
    }

    @Test
    void readme_documentsEveryFieldOfTheFormat() throws IOException {
        // given every field a spec can have (the example plus the optional ones it leaves out)
        JsonNode full = EnvironmentSpecs.toTree(EnvironmentSpecs.parse(SpecFixtures.minimalWith(root -> {
            root.put("region", "us-east-1");
            root.withObject("loadBalancer").put("certificateArn",
                    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d");
            root.withObject("artifacts").put("bucket", "shop-wars");
        })));
        List<String> fields = new ArrayList<>();
        collect(full, "", fields);

        // when the field table is read
        String readme = Files.readString(Path.of(SpecFixtures.examplePath()).resolveSibling("README.md"));

        // then each field has a row (per-role fields are documented once as instances.<role>.*)
        for (String field : fields) {
            String documented = field.matches("instances\\.(db|mc|rmq|app)\\.(ami|instanceType)")
                    ? field.replaceFirst("instances\\.\\w+", "instances.<role>") : field;
            assertThat(readme).as("README row for " + field).contains("`" + documented + "`");
        }
    }

    private static void collect(JsonNode node, String path, List<String> out) {
        if (!node.isObject() || path.equals("tags")) {
            out.add(path);
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            collect(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), out);
        }
    }
}
