package dev.pipeline.deploy.release;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LatestWinsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void newestQueued_deploysNext_andTheOthersAreSuperseded() {
        Upload started = upload("a", 0), b = upload("b", 1), c = upload("c", 2), d = upload("d", 3);

        Handoff h = LatestWins.decide(List.of(c, d, b), started.order());

        assertThat(h.next()).contains(d);
        assertThat(h.superseded()).containsExactly(b, c);
    }

    @Test
    void queuedUploadsOlderThanTheOneStarted_areAllSuperseded() {
        Upload started = upload("z", 10);

        Handoff h = LatestWins.decide(List.of(upload("x", 5), upload("y", 7)), started.order());

        assertThat(h.next()).isEmpty();
        assertThat(h.superseded()).extracting(Upload::id).containsExactly("x", "y");
    }

    @Test
    void emptyQueue_handsOffNothing() {
        assertThat(LatestWins.decide(List.of(), upload("a", 0).order())).isEqualTo(Handoff.NOTHING);
    }

    @Test
    void sameInstant_isOrderedById_soEveryWriterAgreesOnTheWinner() {
        Upload p = upload("p", 0), q = upload("q", 0);
        assertThat(LatestWins.decide(List.of(q, p), null).next()).contains(q);
        assertThat(LatestWins.decide(List.of(p, q), null).next()).contains(q);
    }

    @Test
    void orderIsTimeOrder_evenWhenInstantsPrintWithDifferentPrecision() {
        // Instant.toString gives "...:00Z" and "...:00.500Z": those strings sort the wrong way round
        Upload whole = new Upload("w", T0.plusSeconds(1), null, null, null);
        Upload half = new Upload("h", T0.plusMillis(500), null, null, null);
        assertThat(whole.order()).isGreaterThan(half.order());
        assertThat(LatestWins.isSuperseded(half, whole.order())).isTrue();
        assertThat(LatestWins.isSuperseded(whole, half.order())).isFalse();
    }

    @Test
    void eventsDeliveredOutOfOrder_theLaterUploadWins_byEventTimeThenPaddedSequencer() {
        // two uploads of one key in the same second (EventBridge times have one-second precision), their events
        // delivered late-first; the ids sort the other way, so only the sequencer can order them. S3: compare
        // sequencers after left-padding the shorter with zeros ("9F" < "0100").
        Upload earlier = new Upload("z-first", T0, "bucket", "releases/app.war", "v1", "9F");
        Upload later = new Upload("a-second", T0, "bucket", "releases/app.war", "v2", "0100");
        Upload older = new Upload("m-older", T0.minusSeconds(1), "bucket", "releases/app.war", "v0", "FFFF");

        Handoff h = LatestWins.decide(List.of(later, older, earlier), null);

        assertThat(h.next()).contains(later);
        assertThat(h.superseded()).containsExactly(older, earlier);
    }

    private static Upload upload(String id, int seconds) {
        return new Upload(id, T0.plusSeconds(seconds), "bucket", "releases/" + id + ".war", "v-" + id);
    }
}
