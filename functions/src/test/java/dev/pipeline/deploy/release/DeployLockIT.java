package dev.pipeline.deploy.release;

import dev.pipeline.deploy.release.LockAttempt.Outcome;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class DeployLockIT {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(30);

    private final MutableClock clock = new MutableClock(T0.plusSeconds(3600));
    private DeployLock lock;

    @BeforeEach
    void tables(DynamoDbClient dynamo) {
        DeployTables.create(dynamo);
        lock = new DeployLock(dynamo, DeployTables.LOCK, clock);
    }

    @Test
    void secondDeploy_isRefused_andQueued_whileTheFirstHoldsTheLock() {
        LockAttempt first = lock.acquire("vprofile", upload("v1", 0), LEASE);
        LockAttempt second = lock.acquire("vprofile", upload("v2", 1), LEASE);

        assertThat(first.outcome()).isEqualTo(Outcome.ACQUIRED);
        assertThat(second.outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(second.holder()).isEqualTo("v1");
        LockState state = lock.state("vprofile").orElseThrow();
        assertThat(state.holder()).isEqualTo("v1");
        assertThat(state.queued()).extracting(Upload::id).containsExactly("v2");
    }

    @Test
    void acquiringAgain_byTheHolder_isNotAConflict() {
        lock.acquire("vprofile", upload("v1", 0), LEASE);

        assertThat(lock.acquire("vprofile", upload("v1", 0), LEASE).outcome()).isEqualTo(Outcome.ACQUIRED);
        assertThat(lock.state("vprofile").orElseThrow().queued()).isEmpty();
    }

    @Test
    void environments_haveIndependentLocks() {
        assertThat(lock.acquire("vprofile", upload("a", 0), LEASE).outcome()).isEqualTo(Outcome.ACQUIRED);
        assertThat(lock.acquire("staging", upload("b", 1), LEASE).outcome()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void expiredLease_isTakenOver_andTheOldHolderCanNeitherRenewNorRelease() {
        lock.acquire("vprofile", upload("crashed", 0), LEASE);
        clock.advance(LEASE.plusSeconds(1));

        LockAttempt takeover = lock.acquire("vprofile", upload("next", 1), LEASE);

        assertThat(takeover.outcome()).isEqualTo(Outcome.ACQUIRED);
        assertThat(lock.renew("vprofile", "crashed", LEASE)).isFalse();
        assertThat(lock.release("vprofile", "crashed", LEASE)).isEqualTo(Handoff.NOTHING);
        assertThat(lock.state("vprofile").orElseThrow().holder()).isEqualTo("next");
    }

    @Test
    void renewedLease_isNotTakenOver() {
        lock.acquire("vprofile", upload("slow", 0), LEASE);
        clock.advance(LEASE.minusSeconds(1));
        assertThat(lock.renew("vprofile", "slow", LEASE)).isTrue();
        clock.advance(Duration.ofSeconds(2)); // past the first lease, within the renewed one

        assertThat(lock.acquire("vprofile", upload("eager", 1), LEASE).outcome()).isEqualTo(Outcome.QUEUED);
    }

    @Test
    void release_withNothingQueued_freesTheLock_andReleasingTwiceIsHarmless() {
        lock.acquire("vprofile", upload("v1", 0), LEASE);

        assertThat(lock.release("vprofile", "v1", LEASE)).isEqualTo(Handoff.NOTHING);
        assertThat(lock.release("vprofile", "v1", LEASE)).isEqualTo(Handoff.NOTHING);
        assertThat(lock.state("vprofile").orElseThrow().holder()).isNull();
        assertThat(lock.acquire("vprofile", upload("v2", 1), LEASE).outcome()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void uploadOlderThanOneAlreadyStarted_isSuperseded_notQueued() {
        lock.acquire("vprofile", upload("new", 5), LEASE);
        lock.release("vprofile", "new", LEASE);

        LockAttempt late = lock.acquire("vprofile", upload("old", 1), LEASE); // its event arrived late

        assertThat(late.outcome()).isEqualTo(Outcome.SUPERSEDED);
        assertThat(lock.state("vprofile").orElseThrow().holder()).isNull();
    }

    @Test
    void release_handsTheLockToTheNewestQueued_andSupersedesTheRest() {
        lock.acquire("vprofile", upload("v1", 0), LEASE);
        lock.acquire("vprofile", upload("v3", 3), LEASE);
        lock.acquire("vprofile", upload("v2", 2), LEASE);

        Handoff handoff = lock.release("vprofile", "v1", LEASE);

        assertThat(handoff.next()).map(Upload::id).contains("v3");
        assertThat(handoff.superseded()).extracting(Upload::id).containsExactly("v2");
        LockState state = lock.state("vprofile").orElseThrow();
        assertThat(state.holder()).isEqualTo("v3");
        assertThat(state.queued()).isEmpty();
        // v3's own deploy then finds the lock already its own
        assertThat(lock.acquire("vprofile", upload("v3", 3), LEASE).outcome()).isEqualTo(Outcome.ACQUIRED);
    }

    @Test
    void fiveConcurrentUploads_oneHolderAtATime_theNewestEndsDeployed_theRestSuperseded() throws Exception {
        List<Upload> uploads = new ArrayList<>();
        for (int i = 1; i <= 5; i++) uploads.add(upload("v" + i, i));
        List<Upload> arrival = new ArrayList<>(uploads);
        Collections.shuffle(arrival);

        List<LockAttempt> attempts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(5)) {
            List<Callable<LockAttempt>> calls = arrival.stream()
                    .<Callable<LockAttempt>>map(u -> () -> lock.acquire("vprofile", u, LEASE)).toList();
            for (Future<LockAttempt> f : pool.invokeAll(calls)) attempts.add(f.get());
        }

        // exactly one holds the lock; every other upload waits or is already known to be too old
        List<String> acquired = new ArrayList<>();
        List<String> superseded = new ArrayList<>();
        for (int i = 0; i < arrival.size(); i++) {
            switch (attempts.get(i).outcome()) {
                case ACQUIRED -> acquired.add(arrival.get(i).id());
                case SUPERSEDED -> superseded.add(arrival.get(i).id());
                case QUEUED -> { }
            }
        }
        assertThat(acquired).hasSize(1);

        // deploys follow one another: each release hands over to the newest waiting upload, until none is left
        List<String> deployed = new ArrayList<>(acquired);
        Handoff handoff = lock.release("vprofile", acquired.getFirst(), LEASE);
        while (true) {
            handoff.superseded().forEach(u -> superseded.add(u.id()));
            if (handoff.next().isEmpty()) break;
            String next = handoff.next().get().id();
            assertThat(lock.state("vprofile").orElseThrow().holder()).isEqualTo(next);
            deployed.add(next);
            handoff = lock.release("vprofile", next, LEASE);
        }

        assertThat(deployed.getLast()).isEqualTo("v5");
        assertThat(deployed).hasSizeLessThanOrEqualTo(2); // the first holder, then at most the newest
        assertThat(superseded).doesNotHaveDuplicates().doesNotContainAnyElementsOf(deployed);
        assertThat(deployed.size() + superseded.size()).isEqualTo(5);
        LockState end = lock.state("vprofile").orElseThrow();
        assertThat(end.holder()).isNull();
        assertThat(end.queued()).isEmpty();
    }

    @Test
    void releasingAgain_afterAHandoff_learnsTheSameHandoff_andChangesNothing() {
        lock.acquire("vprofile", upload("v1", 0), LEASE);
        lock.acquire("vprofile", upload("v2", 2), LEASE);
        lock.acquire("vprofile", upload("v3", 3), LEASE);
        Handoff first = lock.release("vprofile", "v1", LEASE);
        LockState after = lock.state("vprofile").orElseThrow();

        Handoff retried = lock.release("vprofile", "v1", LEASE); // v1's Lambda crashed before starting v3, and retries

        assertThat(retried).isEqualTo(first);
        assertThat(first.next()).map(Upload::id).contains("v3");
        assertThat(lock.state("vprofile").orElseThrow()).isEqualTo(after);
        // once v3 has released in turn, v1 learns nothing any more
        lock.release("vprofile", "v3", LEASE);
        assertThat(lock.release("vprofile", "v1", LEASE)).isEqualTo(Handoff.NOTHING);
    }

    private static Upload upload(String id, int second) {
        return new Upload(id, T0.plusSeconds(second), "vprofile-artifacts", "releases/app.war", "ver-" + id);
    }
}
