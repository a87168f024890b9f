package dev.pipeline.provision.dns;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DesiredRecordsTest {

    private static ProvisionDnsInput.Backend at(String ip) {
        return new ProvisionDnsInput.Backend("i-0123456789abcdef0", ip, "running");
    }

    @Test
    void records_nameEachBackendInThePrivateZone_withItsCurrentAddress() throws IOException {
        var backends = new ProvisionDnsInput.Backends(Map.of("db01", at("10.40.10.5"), "mc01", at("10.40.10.6"),
                "rmq01", at("10.40.11.7"), "old01", at("10.40.10.9")));

        assertThat(DesiredRecords.of(example(), backends)).containsExactly(
                Map.entry("db01.vprofile.in", "10.40.10.5"), Map.entry("mc01.vprofile.in", "10.40.10.6"),
                Map.entry("rmq01.vprofile.in", "10.40.11.7"));
    }

    @Test
    void records_fail_whenABackendHasNoAddressYet() throws IOException {
        var backends = new ProvisionDnsInput.Backends(Map.of("db01", at("10.40.10.5"), "mc01", at(null)));

        assertThatThrownBy(() -> DesiredRecords.of(example(), backends))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("mc01").hasMessageContaining("ProvisionBackends");
    }

    @Test
    void records_fail_whenAnAddressIsNotIpv4() throws IOException {
        var backends = new ProvisionDnsInput.Backends(Map.of("db01", at("fd00::5"), "mc01", at("10.40.10.6"),
                "rmq01", at("10.40.10.7")));

        assertThatThrownBy(() -> DesiredRecords.of(example(), backends))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("db01").hasMessageContaining("fd00::5");
    }

    private static EnvironmentSpec example() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("examples/vprofile.json");
            if (Files.isRegularFile(p)) return EnvironmentSpecs.parse(Files.readString(p));
        }
        throw new IllegalStateException("examples/vprofile.json not found");
    }
}
