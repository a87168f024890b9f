package dev.pipeline.provision.manifest;

import java.time.Clock;

/** Writes the applied manifest; idempotent by key (a re-run writes a new object version with the same content). */
public final class SaveManifestService {
    private final ManifestGateway gateway;
    private final Clock clock;

    public SaveManifestService(ManifestGateway gateway, Clock clock) {
        this.gateway = gateway;
        this.clock = clock;
    }

    public SaveManifestOutput save(SaveManifestInput input) {
        var manifest = AppliedManifest.of(input, clock.instant());
        String key = AppliedManifest.key(manifest.path("environment").asText());
        String version = gateway.put(key, manifest.toPrettyString());
        return new SaveManifestOutput(gateway.bucket(), key, version);
    }
}
