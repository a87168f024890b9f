package dev.pipeline.provision.dns;

import dev.pipeline.functions.RetryableException;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The private hosted zone on the spec's VPC and one A record per backend. Finds the zone by VPC, name and owner
 * (tag, or the creation marker while untagged), creates it when missing with CallerReference
 * {@code run.tokenFor("zone")}, tags it, then converges the records with {@link RecordPlan}. Run twice, it changes
 * nothing; run after a backend was replaced, it UPSERTs only that record.
 */
public final class ProvisionDnsService {
    static final String COMPONENT = "zone";

    private final DnsGateway dns;
    private final String region;

    /** @param region the region of the spec's VPC (the pipeline's own region) */
    public ProvisionDnsService(DnsGateway dns, String region) {
        this.dns = dns;
        this.region = region;
    }

    public ProvisionDnsOutput provision(EnvironmentSpec spec, Run run, ProvisionDnsInput.Backends backends) {
        Map<String, String> desired = DesiredRecords.of(spec, backends);
        HostedZoneView zone = findZone(spec).orElseGet(() -> createZone(spec, run));
        // Every call, not only after creation: Route 53 has no tags-at-creation, and this also puts back tags a
        // user removed.
        dns.tag(zone.id(), tags(spec));
        RecordPlan plan = RecordPlan.of(dns.records(zone.id()), desired);
        if (!plan.empty()) dns.change(zone.id(), plan.deletes(), plan.upserts(), RecordPlan.TTL);
        return new ProvisionDnsOutput(zone.id(), spec.privateZone(), desired);
    }

    /**
     * Our zone on the spec's VPC, if any. A zone of that name on the VPC that is not ours is a conflict: Route 53
     * allows one private zone of a name per VPC (ConflictingDomainExists), and taking over a zone somebody else
     * made would let teardown delete their records.
     */
    private Optional<HostedZoneView> findZone(EnvironmentSpec spec) {
        String vpc = spec.network().vpcId();
        List<HostedZoneView> zones = dns.zonesInVpc(vpc, region, spec.privateZone()).stream()
                .map(dns::zone).flatMap(Optional::stream).toList();
        Optional<HostedZoneView> ours = zones.stream().filter(z -> z.ownedBy(spec.name())).findFirst();
        if (ours.isEmpty() && !zones.isEmpty()) {
            HostedZoneView other = zones.getFirst();
            throw new StageFailedException("private hosted zone " + spec.privateZone() + " (" + other.id()
                    + ") is already associated with VPC " + vpc + " but was not made by this pipeline (it has no "
                    + EnvironmentSpec.TAG_ENVIRONMENT + "=" + spec.name() + " tag). Delete that zone, or tag it "
                    + EnvironmentSpec.TAG_ENVIRONMENT + "=" + spec.name() + " to let the pipeline manage it");
        }
        return ours;
    }

    private HostedZoneView createZone(EnvironmentSpec spec, Run run) {
        Optional<String> created = dns.createPrivateZone(spec.privateZone(), spec.network().vpcId(), region,
                run.tokenFor(COMPONENT), HostedZoneView.marker(spec.name()));
        if (created.isPresent()) {
            return dns.zone(created.get()).orElseThrow(() -> new RetryableException(
                    "hosted zone " + created.get() + " was just created but Route 53 does not show it yet"));
        }
        // An earlier attempt of this run made the zone (the caller reference is spent), or another run made it
        // between our look and our create: find it again. Not visible yet = eventual consistency, retry.
        return findZone(spec).orElseThrow(() -> new RetryableException("hosted zone " + spec.privateZone()
                + " exists according to Route 53 but is not listed on VPC " + spec.network().vpcId() + " yet"));
    }

    static Map<String, String> tags(EnvironmentSpec spec) {
        Map<String, String> tags = new LinkedHashMap<>(spec.tags(COMPONENT));
        tags.put("Name", spec.resourceName(COMPONENT));
        return tags;
    }
}
