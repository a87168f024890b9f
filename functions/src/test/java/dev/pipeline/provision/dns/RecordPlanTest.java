package dev.pipeline.provision.dns;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordPlanTest {
    private static final DnsRecord SOA = new DnsRecord("vprofile.in.", "SOA", null, 900L, List.of("ns-1. hostmaster. 1 7200 900 1209600 86400"), false);
    private static final DnsRecord NS = new DnsRecord("vprofile.in.", "NS", null, 172800L, List.of("ns-1.awsdns-1.com"), false);
    private static final Map<String, String> WANT = Map.of("db01.vprofile.in", "10.40.10.5", "mc01.vprofile.in", "10.40.10.6");

    private static DnsRecord a(String name, long ttl, String... ips) {
        return new DnsRecord(name, "A", null, ttl, List.of(ips), false);
    }

    @Test
    void plan_upsertsEveryBackend_inAnEmptyZone() {
        RecordPlan plan = RecordPlan.of(List.of(SOA, NS), WANT);

        assertThat(plan.deletes()).isEmpty();
        assertThat(plan.upserts()).containsOnly(
                Map.entry("db01.vprofile.in.", "10.40.10.5"), Map.entry("mc01.vprofile.in.", "10.40.10.6"));
    }

    @Test
    void plan_isEmpty_whenRecordsAlreadyMatch() {
        RecordPlan plan = RecordPlan.of(List.of(SOA, NS, a("db01.vprofile.in.", 60, "10.40.10.5"),
                a("mc01.vprofile.in.", 60, "10.40.10.6")), WANT);

        assertThat(plan.empty()).isTrue();
    }

    @Test
    void plan_upsertsOnlyTheReplacedBackend_whenItsAddressOrTtlDiffers() {
        RecordPlan plan = RecordPlan.of(List.of(a("db01.vprofile.in.", 60, "10.40.10.99"),
                a("mc01.vprofile.in.", 300, "10.40.10.6")), WANT);

        assertThat(plan.deletes()).isEmpty();
        assertThat(plan.upserts()).containsOnlyKeys("db01.vprofile.in.", "mc01.vprofile.in.");
    }

    @Test
    void plan_deletesARecordsOfHostsWeDoNotHave_butKeepsOtherTypesElsewhere() {
        DnsRecord old = a("old01.vprofile.in.", 60, "10.40.10.7");
        DnsRecord wiki = new DnsRecord("wiki.vprofile.in.", "CNAME", null, 300L, List.of("wiki.example.com"), false);
        DnsRecord txt = new DnsRecord("vprofile.in.", "TXT", null, 300L, List.of("\"owner=ops\""), false);

        RecordPlan plan = RecordPlan.of(List.of(SOA, NS, old, wiki, txt,
                a("db01.vprofile.in.", 60, "10.40.10.5"), a("mc01.vprofile.in.", 60, "10.40.10.6")), WANT);

        assertThat(plan.deletes()).containsExactly(old);
        assertThat(plan.upserts()).isEmpty();
    }

    @Test
    void plan_replacesAnyOtherRecordAtABackendName() {
        DnsRecord cname = new DnsRecord("db01.vprofile.in.", "CNAME", null, 300L, List.of("elsewhere.example.com"), false);
        DnsRecord weighted = new DnsRecord("mc01.vprofile.in.", "A", "blue", 60L, List.of("10.40.10.6"), false);

        RecordPlan plan = RecordPlan.of(List.of(cname, weighted), WANT);

        assertThat(plan.deletes()).containsExactly(cname, weighted);
        assertThat(plan.upserts()).containsOnlyKeys("db01.vprofile.in.", "mc01.vprofile.in.");
    }

    @Test
    void plan_deletesOtherSpellingsOfABackendName_thatMotoKeepsApart() {
        DnsRecord upper = a("DB01.vprofile.in.", 60, "10.40.10.5");

        RecordPlan plan = RecordPlan.of(List.of(upper, a("db01.vprofile.in.", 60, "10.40.10.5"),
                a("mc01.vprofile.in.", 60, "10.40.10.6")), WANT);

        assertThat(plan.deletes()).containsExactly(upper);
        assertThat(plan.upserts()).isEmpty();
    }

    @Test
    void plan_neverTouchesSoaOrNs_evenForADelegatedSubdomain() {
        DnsRecord delegation = new DnsRecord("lab.vprofile.in.", "NS", null, 300L, List.of("ns.lab.example.com"), false);

        RecordPlan plan = RecordPlan.of(List.of(SOA, NS, delegation), Map.of());

        assertThat(plan.empty()).isTrue();
    }
}
