package dev.pipeline.provision.dns;

import dev.pipeline.functions.RetryableException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ConflictingDomainExistsException;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.HostedZoneAlreadyExistsException;
import software.amazon.awssdk.services.route53.model.HostedZoneNotEmptyException;
import software.amazon.awssdk.services.route53.model.HostedZoneSummary;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameResponse;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByVpcResponse;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.PriorRequestNotCompleteException;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Tag;
import software.amazon.awssdk.services.route53.model.TagResourceType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Route 53 for the DNS stages; the only class of the package that sees SDK types. Deletes treat NoSuchHostedZone as
 * done. Zone ids go in and out bare ({@code Z0123...}).
 */
public final class DnsGateway {
    private static final String ZONE_PREFIX = "/hostedzone/";

    private final Route53Client route53;

    public DnsGateway(Route53Client route53) {
        this.route53 = route53;
    }

    /** Ids of the private zones named {@code zoneName} that are associated with the VPC. */
    List<String> zonesInVpc(String vpcId, String region, String zoneName) {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListHostedZonesByVpcResponse page = route53.listHostedZonesByVPC(b -> b.vpcId(vpcId).vpcRegion(region).nextToken(next));
            for (HostedZoneSummary z : page.hostedZoneSummaries()) {
                if (DnsNames.same(z.name(), zoneName)) ids.add(bare(z.hostedZoneId()));
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return ids;
    }

    /** Ids of every zone (public or private, any VPC) named exactly {@code zoneName}. */
    List<String> zonesNamed(String zoneName) {
        String canonical = DnsNames.canonical(zoneName);
        List<String> ids = new ArrayList<>();
        String dnsName = canonical;
        String zoneId = null;
        while (true) {
            String name = dnsName;
            String id = zoneId;
            // Zones come in name order starting at DNSName, so the first zone with another name ends the search.
            ListHostedZonesByNameResponse page = route53.listHostedZonesByName(b -> b.dnsName(name).hostedZoneId(id));
            for (var z : page.hostedZones()) {
                if (!DnsNames.same(z.name(), canonical)) return ids;
                ids.add(bare(z.id()));
            }
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextDNSName() == null) return ids;
            dnsName = page.nextDNSName();
            zoneId = page.nextHostedZoneId();
        }
    }

    /** The zone with its tags, or empty when it does not exist (any more). */
    Optional<HostedZoneView> zone(String id) {
        try {
            GetHostedZoneResponse z = route53.getHostedZone(b -> b.id(id));
            Map<String, String> tags = new LinkedHashMap<>();
            route53.listTagsForResource(b -> b.resourceType(TagResourceType.HOSTEDZONE).resourceId(id))
                    .resourceTagSet().tags().forEach(t -> tags.put(t.key(), t.value()));
            var config = z.hostedZone().config();
            return Optional.of(new HostedZoneView(bare(z.hostedZone().id()), z.hostedZone().name(),
                    config != null && Boolean.TRUE.equals(config.privateZone()),
                    config == null ? null : config.comment(), tags));
        } catch (NoSuchHostedZoneException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates the private zone on the VPC. Empty when Route 53 says it exists already: the caller reference was used
     * (HostedZoneAlreadyExists: an earlier attempt of this run made it) or a zone of that name is on the VPC
     * (ConflictingDomainExists); either way the caller finds it again rather than making another.
     */
    Optional<String> createPrivateZone(String zoneName, String vpcId, String region, String callerReference, String comment) {
        try {
            return Optional.of(bare(route53.createHostedZone(b -> b
                    .name(DnsNames.canonical(zoneName))
                    .callerReference(callerReference)
                    .vpc(v -> v.vpcId(vpcId).vpcRegion(region))
                    .hostedZoneConfig(c -> c.privateZone(true).comment(comment))).hostedZone().id()));
        } catch (HostedZoneAlreadyExistsException | ConflictingDomainExistsException e) {
            return Optional.empty();
        }
    }

    /** Adds or overwrites the tags; tags not named are left alone. */
    void tag(String zoneId, Map<String, String> tags) {
        List<Tag> add = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        route53.changeTagsForResource(b -> b.resourceType(TagResourceType.HOSTEDZONE).resourceId(zoneId).addTags(add));
    }

    /** Every record set in the zone, all pages. */
    List<DnsRecord> records(String zoneId) {
        return sdkRecords(zoneId).stream().map(DnsGateway::view).toList();
    }

    /**
     * Applies deletes then upserts in one change batch, so readers never see a half-converged zone. A record set to
     * delete that has gone since it was listed is skipped. Route 53 applies a batch as one transaction; that a
     * DELETE of, say, a CNAME and the UPSERT of an A record at the same name may share one batch is how DELETE+CREATE
     * replacements are usually done, but not confirmed in the API reference (moto accepts it). InvalidChangeBatch here almost always means somebody
     * changed the zone between our listing and our change; the next attempt lists again.
     */
    void change(String zoneId, List<DnsRecord> deletes, Map<String, String> upserts, long ttl) {
        List<Change> changes = new ArrayList<>();
        if (!deletes.isEmpty()) {
            for (ResourceRecordSet listed : sdkRecords(zoneId)) {
                if (deletes.contains(view(listed))) {
                    changes.add(Change.builder().action(ChangeAction.DELETE).resourceRecordSet(listed).build());
                }
            }
        }
        upserts.forEach((name, ip) -> changes.add(Change.builder().action(ChangeAction.UPSERT)
                .resourceRecordSet(r -> r.name(name).type(RRType.A).ttl(ttl)
                        .resourceRecords(ResourceRecord.builder().value(ip).build()))
                .build()));
        if (changes.isEmpty()) return;
        try {
            route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c
                    .comment("war-pipeline: backend records")
                    .changes(changes)));
        } catch (InvalidChangeBatchException | PriorRequestNotCompleteException e) {
            throw new RetryableException("hosted zone " + zoneId + " changed while its records were being converged: "
                    + e.awsErrorDetails().errorMessage(), e);
        }
    }

    /** What DeleteHostedZone did. */
    enum Deletion { DELETED, ALREADY_GONE, NOT_EMPTY }

    Deletion deleteZone(String zoneId) {
        try {
            route53.deleteHostedZone(b -> b.id(zoneId));
            return Deletion.DELETED;
        } catch (NoSuchHostedZoneException e) {
            return Deletion.ALREADY_GONE;
        } catch (HostedZoneNotEmptyException e) {
            return Deletion.NOT_EMPTY;
        }
    }

    private List<ResourceRecordSet> sdkRecords(String zoneId) {
        try {
            List<ResourceRecordSet> all = new ArrayList<>();
            route53.listResourceRecordSetsPaginator(b -> b.hostedZoneId(zoneId)).resourceRecordSets().forEach(all::add);
            return all;
        } catch (NoSuchHostedZoneException e) {
            return List.of();
        }
    }

    private static DnsRecord view(ResourceRecordSet r) {
        List<String> values = r.resourceRecords() == null ? List.of()
                : r.resourceRecords().stream().map(ResourceRecord::value).toList();
        return new DnsRecord(r.name(), r.typeAsString(), r.setIdentifier(), r.ttl(), values, r.aliasTarget() != null);
    }

    private static String bare(String id) {
        return id.startsWith(ZONE_PREFIX) ? id.substring(ZONE_PREFIX.length()) : id;
    }
}
