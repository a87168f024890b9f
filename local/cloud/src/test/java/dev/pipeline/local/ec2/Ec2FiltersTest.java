package dev.pipeline.local.ec2;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class Ec2FiltersTest {

    @Test
    void writeOver_renumbersFiltersWithoutGaps_andKeepsOtherParameters() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", "DescribeInstances");
        form.put("Filter.1.Name", "client-token");
        form.put("Filter.1.Value.1", "t1");
        form.put("Filter.2.Name", "tag:env");
        form.put("Filter.2.Value.1", "prod");
        form.put("Filter.2.Value.2", "stage");

        Ec2Filters filters = Ec2Filters.from(form);
        Map<String, String> out = filters.without("client-token").with("instance-id", List.of("i-1")).writeOver(form);

        assertThat(filters.valuesOf("client-token")).containsExactly(List.of("t1"));
        assertThat(out).containsExactly(
                Map.entry("Action", "DescribeInstances"),
                Map.entry("Filter.1.Name", "tag:env"),
                Map.entry("Filter.1.Value.1", "prod"),
                Map.entry("Filter.1.Value.2", "stage"),
                Map.entry("Filter.2.Name", "instance-id"),
                Map.entry("Filter.2.Value.1", "i-1"));
    }

    @Test
    void matchesAny_supportsEc2Wildcards_andQuotesEverythingElse() {
        assertThat(Ec2Filters.matchesAny(List.of("release-4*"), "release-42")).isTrue();
        assertThat(Ec2Filters.matchesAny(List.of("release-4?"), "release-42")).isTrue();
        assertThat(Ec2Filters.matchesAny(List.of("release.42"), "release-42")).isFalse();
        assertThat(Ec2Filters.matchesAny(List.of("other", "release-42"), "release-42")).isTrue();
    }
}
