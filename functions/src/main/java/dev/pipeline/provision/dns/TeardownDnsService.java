package dev.pipeline.provision.dns;

import dev.pipeline.functions.Run;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converges to absent every private zone of this environment: named {@code spec.privateZone}, owned by the
 * environment (tag, or the creation marker while untagged), on the spec's VPC or any other (a zone left behind when
 * the spec's VPC changed). Deletes every record Route 53 did not make, then the zone. NotFound is done; run twice,
 * the second call finds nothing.
 */
public final class TeardownDnsService {
    private final DnsGateway dns;
    private final String region;

    public TeardownDnsService(DnsGateway dns, String region) {
        this.dns = dns;
        this.region = region;
    }

    public TeardownDnsOutput teardown(EnvironmentSpec spec, Run run) {
        Set<String> candidates = new LinkedHashSet<>(dns.zonesInVpc(spec.network().vpcId(), region, spec.privateZone()));
        candidates.addAll(dns.zonesNamed(spec.privateZone()));
        List<String> deleted = new ArrayList<>();
        boolean ready = true;
        for (String id : candidates) {
            Optional<HostedZoneView> zone = dns.zone(id).filter(z -> z.ownedBy(spec.name()));
            if (zone.isEmpty()) continue;
            List<DnsRecord> records = dns.records(id).stream().filter(r -> !r.zoneApexDefault(zone.get().name())).toList();
            if (!records.isEmpty()) dns.change(id, records, Map.of(), RecordPlan.TTL);
            switch (dns.deleteZone(id)) {
                case DELETED -> deleted.add(id);
                case ALREADY_GONE -> { }
                // Someone added a record between our listing and the delete: the next call deletes it too.
                case NOT_EMPTY -> ready = false;
            }
        }
        if (!ready) run.checkDeadline("hosted zone " + spec.privateZone());
        return new TeardownDnsOutput(ready, deleted);
    }
}
