package dev.pipeline.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.local.deploy.SamTemplate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml's parameters refuse what the spec refuses, so `sam deploy` stops at the parameter (before a stack
 * exists) instead of in ValidateSpec, and a refused value never reaches the custom resource.
 *
 * <p>CloudFormation checks one parameter at a time: AllowedPattern (Java regex syntax, matched against the whole
 * value: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-regexes.html), MinValue/MaxValue. Rules
 * can only compare values for equality or membership (Fn::Equals, Fn::Contains, Fn::EachMemberIn...:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html),
 * so min &lt;= desired &lt;= max across parameters is left to ValidateSpec, the workflow's first stage, which fails the
 * stack in seconds with nothing created.
 */
class TemplateParametersTest {
    private static final JsonNode PARAMETERS = read().root().path("Parameters");

    private static SamTemplate read() {
        try {
            return SamTemplate.read(SamTemplate.locate(Path.of("")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean templateAccepts(String parameter, String value) {
        JsonNode p = PARAMETERS.path(parameter);
        if (p.has("AllowedPattern") && !Pattern.compile(p.path("AllowedPattern").asText()).matcher(value).matches()) return false;
        if (p.has("MinValue") && Double.parseDouble(value) < p.path("MinValue").asDouble()) return false;
        if (p.has("MaxValue") && Double.parseDouble(value) > p.path("MaxValue").asDouble()) return false;
        return true;
    }

    @Test
    void environmentName_theTemplateAcceptsNoNameTheSpecRefuses() {
        List<String> names = new ArrayList<>(List.of("shop-", "shop--", "-shop", "Shop", "1shop", "s", "sh", "shop_1", "shop.1",
                "internal", "internal-shop", "xn--shop", "sthree-shop", "amzn-s3-demo-shop", "a-b-c", "vprofile", "shop-2"));
        for (int n = 1; n <= 40; n++) {
            names.add("a".repeat(n));
            names.add("a".repeat(n - 1) + "-");
            if (n > 2) names.add("a-" + "b".repeat(n - 2));
        }
        List<String> acceptedButRefused = new ArrayList<>();
        for (String name : names) {
            if (templateAccepts("EnvironmentName", name) && SpecRules.environmentName(name).isPresent()) {
                acceptedButRefused.add(name + ": " + SpecRules.environmentName(name).get());
            }
        }
        assertThat(acceptedButRefused).isEmpty();
        assertThat(templateAccepts("EnvironmentName", "vprofile")).as("the default works").isTrue();
        assertThat(templateAccepts("EnvironmentName", "a".repeat(SpecRules.ENV_NAME_MAX))).as("the longest name the spec takes").isTrue();
    }

    @Test
    void fleetSizes_theTemplateAcceptsNoSizeTheSpecRefuses_eachAtLeastOneAndAtMostTheCap() {
        List<String> wrong = new ArrayList<>();
        for (String p : List.of("FleetMin", "FleetDesired", "FleetMax")) {
            for (int v = -1; v <= SpecDefaults.FLEET_MAX_CAP + 5; v++) {
                boolean specCan = v >= 1 && v <= SpecDefaults.FLEET_MAX_CAP;
                if (templateAccepts(p, Integer.toString(v)) != specCan) wrong.add(p + "=" + v + (specCan ? " refused" : " accepted"));
            }
        }
        assertThat(wrong).isEmpty();
        int min = PARAMETERS.path("FleetMin").path("Default").asInt(), desired = PARAMETERS.path("FleetDesired").path("Default").asInt(),
                max = PARAMETERS.path("FleetMax").path("Default").asInt();
        assertThat(min <= desired && desired <= max).as("the defaults are a fleet the spec takes").isTrue();
    }

    @Test
    void stateMachineNames_fitStepFunctions80Characters_forEveryNameTheTemplateAccepts() {
        // Step Functions: a state machine name is 1-80 characters. Named after the stack, a stack name over ~70
        // characters (CloudFormation allows 128) failed the deploy halfway; named after EnvironmentName they always fit.
        for (JsonNode r : (Iterable<JsonNode>) () -> read().root().path("Resources").elements()) {
            if (!"AWS::Serverless::StateMachine".equals(r.path("Type").asText())) continue;
            String name = r.path("Properties").path("Name").asText(r.path("Properties").path("Name").path("Fn::Sub").asText());
            assertThat(name).as("state machine names come from EnvironmentName, not the stack name").doesNotContain("AWS::StackName");
            String longest = name.replace("${EnvironmentName}", "a".repeat(SpecRules.ENV_NAME_MAX));
            assertThat(longest.length()).as(longest).isLessThanOrEqualTo(80);
        }
    }
}
