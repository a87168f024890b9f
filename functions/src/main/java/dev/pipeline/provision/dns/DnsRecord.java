package dev.pipeline.provision.dns;

import java.util.List;

/**
 * One resource record set as Route 53 lists it, without SDK types. Equal views name the same record set, which is
 * how {@link DnsGateway} finds the exact record set to DELETE (Route 53 deletes only an exact match).
 *
 * @param name          as listed (Route 53: lowercase with a trailing dot; moto: as written)
 * @param setIdentifier null for simple routing
 * @param ttl           null for alias records
 * @param values        the record values, empty for alias records
 * @param alias         whether it is an alias record
 */
record DnsRecord(String name, String type, String setIdentifier, Long ttl, List<String> values, boolean alias) {

    DnsRecord {
        values = List.copyOf(values);
    }

    /** A plain A record: one name, no routing policy, no alias. The only kind this stage writes. */
    boolean simpleA() {
        return "A".equals(type) && setIdentifier == null && !alias;
    }

    /** Records Route 53 makes with the zone and deletes with it; DeleteHostedZone refuses to run while others exist. */
    boolean zoneApexDefault(String zoneName) {
        return ("SOA".equals(type) || "NS".equals(type)) && DnsNames.same(name, zoneName);
    }
}
