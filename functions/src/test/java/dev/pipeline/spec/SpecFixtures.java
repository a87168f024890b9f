package dev.pipeline.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Spec documents for tests: the repository's example, a minimal valid spec, and edits of it. */
public final class SpecFixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static final String MINIMAL = """
            {
              "specVersion": 1,
              "name": "shop",
              "network": {
                "vpcId": "vpc-0a1b2c3d4e5f60718",
                "publicSubnets": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
                "appSubnets": ["subnet-0a1b2c3d4e5f60713"],
                "adminCidr": "198.51.100.7/32"
              }
            }
            """;

    private SpecFixtures() {
    }

    /** The contents of {@link #examplePath()}. */
    static String example() {
        try {
            return Files.readString(Path.of(examplePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code examples/vprofile.json} at the repository root, found from the module's working directory. */
    static String examplePath() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/vprofile.json");
            if (Files.isRegularFile(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("examples/vprofile.json not found above " + Path.of("").toAbsolutePath());
    }

    /** The minimal spec after {@code edit}; nested objects are created on demand with {@code with(...)}. */
    public static String minimalWith(Consumer<ObjectNode> edit) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(MINIMAL);
            edit.accept(root);
            return MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems {@code json} is refused for; fails the test when it parses. */
    static List<Problem> problemsOf(String json) {
        InvalidSpecException refused = catchThrowableOfType(InvalidSpecException.class, () -> EnvironmentSpecs.parse(json));
        if (refused == null) {
            throw new AssertionError("expected the spec to be refused, but it parsed:\n" + json);
        }
        return refused.problems();
    }
}
