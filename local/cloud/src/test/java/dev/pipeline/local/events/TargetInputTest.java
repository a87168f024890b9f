package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = """
        {"id":"e1","detail":{"bucket":{"name":"b"},"object":{"key":"releases/a.war","version-id":"v1"},"list":[{"x":1},{"x":2}]}}
        """;

    @Test
    void noInputSettings_passTheWholeEvent() throws Exception {
        TargetInput input = TargetInput.of(target("{\"Id\":\"t\"}"));

        assertThat(JSON.readTree(input.apply(event()))).isEqualTo(event());
    }

    @Test
    void input_isPassedAsIs_whateverTheEvent() throws Exception {
        TargetInput input = TargetInput.of(target("{\"Id\":\"t\",\"Input\":\"{\\\"fixed\\\":true}\"}"));

        assertThat(input.apply(event())).isEqualTo("{\"fixed\":true}");
    }

    @Test
    void inputPath_selectsThePartOfTheEvent_inDotBracketAndIndexNotation() throws Exception {
        assertThat(TargetInput.of(target("{\"Id\":\"t\",\"InputPath\":\"$.detail.object\"}")).apply(event()))
                .isEqualTo("{\"key\":\"releases/a.war\",\"version-id\":\"v1\"}");
        assertThat(TargetInput.of(target("{\"Id\":\"t\",\"InputPath\":\"$.detail.object['version-id']\"}")).apply(event()))
                .isEqualTo("\"v1\"");
        assertThat(TargetInput.of(target("{\"Id\":\"t\",\"InputPath\":\"$.detail.list[1]\"}")).apply(event()))
                .isEqualTo("{\"x\":2}");
        assertThat(TargetInput.of(target("{\"Id\":\"t\",\"InputPath\":\"$\"}")).apply(event()))
                .isEqualTo(event().toString());
    }

    @Test
    void inputPath_selectingNothing_givesAnEmptyObject() throws Exception {
        assertThat(TargetInput.of(target("{\"Id\":\"t\",\"InputPath\":\"$.detail.nope\"}")).apply(event())).isEqualTo("{}");
    }

    @Test
    void inputAndInputPathTogether_areRejected() {
        assertThatThrownBy(() -> TargetInput.of(target("{\"Id\":\"t\",\"Input\":\"{}\",\"InputPath\":\"$.detail\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mutually exclusive");
    }

    @Test
    void inputThatIsNotJson_isRejected() {
        assertThatThrownBy(() -> TargetInput.of(target("{\"Id\":\"t\",\"Input\":\"not json\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void inputTransformerAndUnsupportedPaths_areRejectedLoudly_notIgnored() {
        assertThatThrownBy(() -> TargetInput.of(target(
                "{\"Id\":\"t\",\"InputTransformer\":{\"InputTemplate\":\"{}\"}}")))
                .hasMessageContaining("InputTransformer");
        for (String path : List.of("detail", "$..key", "$.detail.*", "$.detail[?(@.x)]", "$.")) {
            assertThatThrownBy(() -> TargetInput.parsePath(path)).as(path).hasMessageContaining("not supported");
        }
    }

    private static JsonNode event() throws Exception { return JSON.readTree(EVENT); }

    private static JsonNode target(String json) throws Exception { return JSON.readTree(json); }
}
