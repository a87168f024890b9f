package dev.pipeline.provision.dns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes that make a zone's records match the backends: pure, no AWS.
 *
 * <p>What we own in the zone: at a backend's name, every record set (a CNAME or a weighted A there would shadow or
 * conflict with our A record); elsewhere, A records only, because A is the one type this pipeline writes, so a stray
 * A record is a backend host we no longer have (a renamed or removed host, a hand-made {@code old01}). Other types
 * elsewhere (a CNAME, a TXT) are somebody's deliberate addition to a zone the pipeline only partly manages day to
 * day: kept, and removed with the zone by TeardownDns. SOA and NS records are Route 53's and never touched.
 *
 * @param deletes record sets to DELETE, exactly as listed
 * @param upserts canonical name → IPv4 address to UPSERT (never CREATE: moto adds a second record set on a
 *                duplicate CREATE, and UPSERT is what makes a rerun harmless on AWS too)
 */
record RecordPlan(List<DnsRecord> deletes, Map<String, String> upserts) {

    /** Short, so a replaced backend's new address is picked up within a minute. */
    static final long TTL = 60;

    RecordPlan {
        deletes = List.copyOf(deletes);
        upserts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(upserts));
    }

    boolean empty() {
        return deletes.isEmpty() && upserts.isEmpty();
    }

    /**
     * @param existing every record set in the zone
     * @param desired  backend DNS name (any spelling) → its current private IPv4 address
     */
    static RecordPlan of(List<DnsRecord> existing, Map<String, String> desired) {
        Map<String, String> want = new LinkedHashMap<>();
        desired.forEach((name, ip) -> want.put(DnsNames.canonical(name), ip));

        List<DnsRecord> deletes = new ArrayList<>();
        Set<String> correct = new HashSet<>();
        for (DnsRecord r : existing) {
            if ("SOA".equals(r.type()) || "NS".equals(r.type())) continue;
            String name = DnsNames.canonical(r.name());
            String ip = want.get(name);
            if (ip == null) {
                if ("A".equals(r.type())) deletes.add(r);
                continue;
            }
            // The literal comparison matters only on moto, which keeps "DB01.vprofile.in." apart from
            // "db01.vprofile.in."; Route 53 lists every name lowercase, so there a listed name is always canonical.
            if (r.simpleA() && r.name().equals(name)) {
                if (Long.valueOf(TTL).equals(r.ttl()) && r.values().equals(List.of(ip))) correct.add(name);
            } else {
                deletes.add(r);
            }
        }
        Map<String, String> upserts = new LinkedHashMap<>();
        want.forEach((name, ip) -> {
            if (!correct.contains(name)) upserts.put(name, ip);
        });
        return new RecordPlan(deletes, upserts);
    }
}
