package dev.pipeline.cli.bench;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchColdStartReportTest {

    @Test
    void javaToolOptions_comeFromTheTemplatesGlobals() {
        String template = """
                Globals:
                  Function:
                    Environment:
                      Variables:
                        LOCK_TABLE: !Ref DeployLockTable
                        JAVA_TOOL_OPTIONS: -XX:+TieredCompilation -XX:TieredStopAtLevel=1
                """;
        assertThat(BenchColdStartCommand.javaToolOptions(template)).isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        assertThat(BenchColdStartCommand.javaToolOptions("Globals: {}\n")).isEmpty();
    }

    @Test
    void ratio_isThePrimedFirstInvokeOverTheBareOne_mediansOfTheRuns() {
        Map<String, Map<BenchColdStartCommand.Variant, List<BenchColdStartCommand.Sample>>> results = new LinkedHashMap<>();
        var v = new LinkedHashMap<BenchColdStartCommand.Variant, List<BenchColdStartCommand.Sample>>();
        v.put(BenchColdStartCommand.Variant.BARE, List.of(sample(BenchColdStartCommand.Variant.BARE, 400), sample(BenchColdStartCommand.Variant.BARE, 500),
                sample(BenchColdStartCommand.Variant.BARE, 900)));
        v.put(BenchColdStartCommand.Variant.STAGE, List.of(sample(BenchColdStartCommand.Variant.STAGE, 1000)));
        v.put(BenchColdStartCommand.Variant.PRIMED, List.of(sample(BenchColdStartCommand.Variant.PRIMED, 250), sample(BenchColdStartCommand.Variant.PRIMED, 3000),
                sample(BenchColdStartCommand.Variant.PRIMED, 300)));
        results.put("AcquireLock", v);
        var m = new BenchReport.Machine(2, "cpu", "os", "25", "1.0", ZonedDateTime.of(2026, 12, 4, 0, 0, 0, 0, ZoneOffset.UTC));

        var json = BenchColdStartCommand.json(results, new BenchColdStartCommand.JarSize(54_000_000, 162_000_000, 29_822), 3, m, "");

        var stage = json.path("stages").get(0);
        assertThat(stage.path("name").asText()).isEqualTo("AcquireLock");
        assertThat(stage.path("bare").path("firstInvokeMs").asDouble()).isEqualTo(500);
        assertThat(stage.path("primed").path("firstInvokeMs").asDouble()).isEqualTo(300);
        assertThat(stage.path("firstInvokeRatio").asDouble()).isEqualTo(0.6);
        assertThat(stage.path("firstInvokeRatioUnprimed").asDouble()).isEqualTo(2.0);
        assertThat(json.path("package").path("files").asInt()).isEqualTo(29_822);
        assertThat(BenchColdStartCommand.markdown(json)).contains("| AcquireLock |").contains("**0.6**").contains("29,822 files");
    }

    private static BenchColdStartCommand.Sample sample(BenchColdStartCommand.Variant v, double firstInvoke) {
        return new BenchColdStartCommand.Sample(v, 2000, 0, firstInvoke, 20);
    }
}
