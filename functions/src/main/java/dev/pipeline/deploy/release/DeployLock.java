package dev.pipeline.deploy.release;

import dev.pipeline.functions.RetryableException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One deploy at a time per environment, latest wins: a lease-based lock in DynamoDB (table LOCK_TABLE, partition
 * key {@code environment}, one item per environment). Every change is one conditional UpdateItem on that item,
 * so the lock, the queue of waiting uploads and the newest upload ever started change together or not at all.
 * Idempotent by upload id: acquiring a lock one holds, queueing twice, releasing a lock one no longer holds are
 * all harmless, so a retried Lambda never double-books. The last hand-off is kept in the item ({@code lastHandoff})
 * so that a holder whose release is retried (it crashed before starting the next deploy) learns the same decision
 * again instead of nothing, and the next upload is not stranded.
 *
 * <p>The queue lives inside the lock item (a map by upload id) so that releasing can see and clear exactly the
 * queue it decided on (guarded by {@code queueVersion}); an item holds 400 KB, about a thousand waiting uploads.
 * Expiry uses this Lambda's clock against the stored lease: clocks differing by more than a fraction of the
 * lease would let a takeover happen early.
 */
public final class DeployLock {
    private static final int ATTEMPTS = 10; // each failed attempt means another writer just succeeded: no waiting
    private static final Map<String, String> NAMES = Map.of("#h", "holder", "#exp", "leaseExpiresAt",
            "#ns", "newestStarted", "#q", "queue", "#qv", "queueVersion", "#lh", "lastHandoff");

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DeployLock(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Takes the lock for {@code upload} (free, expired, or already its own), or queues it behind the holder, or
     * refuses it for good when a newer upload already started.
     */
    public LockAttempt acquire(String environment, Upload upload, Duration lease) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Instant expires = now.plus(lease);
            if (update(environment,
                    "SET #h = :me, #exp = :exp, #ns = :order, #q = if_not_exists(#q, :empty), #qv = if_not_exists(#qv, :zero)",
                    "(attribute_not_exists(#h) OR #exp < :now OR #h = :me) AND (attribute_not_exists(#ns) OR #ns <= :order)",
                    Map.of(":me", s(upload.id()), ":exp", millis(expires), ":now", millis(now), ":order", s(upload.order()),
                            ":empty", AttributeValue.fromM(Map.of()), ":zero", AttributeValue.fromN("0")))) {
                return new LockAttempt(LockAttempt.Outcome.ACQUIRED, upload.id(), expires);
            }
            LockState state = state(environment).orElse(null);
            if (state == null) continue; // released and deleted in between: try again
            if (LatestWins.isSuperseded(upload, state.newestStarted())) {
                return new LockAttempt(LockAttempt.Outcome.SUPERSEDED, state.holder(), state.leaseExpiresAt());
            }
            if (state.heldAt(now) && !state.holder().equals(upload.id())
                    && update(environment, "SET #q.#id = :entry ADD #qv :one",
                    "#h = :holder AND #exp >= :now AND #ns < :order",
                    Map.of(":entry", AttributeValue.fromM(toMap(upload)), ":one", AttributeValue.fromN("1"),
                            ":holder", s(state.holder()), ":now", millis(now), ":order", s(upload.order())),
                    Map.of("#id", upload.id()))) {
                return new LockAttempt(LockAttempt.Outcome.QUEUED, state.holder(), state.leaseExpiresAt());
            }
            // the lock changed hands or expired between our read and our write: decide again
        }
        throw new RetryableException("the deploy lock of " + environment + " changed " + ATTEMPTS + " times while "
                + upload.id() + " asked for it");
    }

    /** Extends the holder's lease; false when it is no longer the holder (taken over after expiry). */
    public boolean renew(String environment, String holder, Duration lease) {
        return update(environment, "SET #exp = :exp", "#h = :me",
                Map.of(":me", s(holder), ":exp", millis(clock.instant().plus(lease))));
    }

    /**
     * Ends {@code holder}'s deploy. When uploads wait, the newest one (if newer than every started upload) gets the
     * lock at once, with a fresh lease, so no later arrival can slip in between; the others are dropped from the
     * queue and returned as superseded. Releasing a lock one does not hold changes nothing; it returns the hand-off
     * that holder made when it released last (so a retried release learns it again), or {@link Handoff#NOTHING}.
     */
    public Handoff release(String environment, String holder, Duration lease) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = read(environment); // one read: the queue and its version must match
            if (item == null) return Handoff.NOTHING;
            if (!holder.equals(str(item, "holder"))) return lastHandoff(item, holder);
            LockState state = parse(item);
            long queueVersion = item.containsKey("queueVersion") ? Long.parseLong(item.get("queueVersion").n()) : 0;
            // the holder itself may still be listed if it took over an expired lock while queued
            Handoff handoff = LatestWins.decide(
                    state.queued().stream().filter(u -> !u.id().equals(holder)).toList(), state.newestStarted());
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":me", s(holder),
                    ":qv", AttributeValue.fromN(Long.toString(queueVersion)), ":empty", AttributeValue.fromM(Map.of()),
                    ":lh", AttributeValue.fromM(toMap(holder, handoff))));
            boolean done;
            if (handoff.next().isPresent()) {
                Upload next = handoff.next().get();
                values.put(":next", s(next.id()));
                values.put(":exp", millis(clock.instant().plus(lease)));
                values.put(":order", s(next.order()));
                done = update(environment, "SET #h = :next, #exp = :exp, #ns = :order, #q = :empty, #lh = :lh",
                        "#h = :me AND #qv = :qv", values);
            } else {
                done = update(environment, "SET #q = :empty, #lh = :lh REMOVE #h, #exp", "#h = :me AND #qv = :qv", values);
            }
            if (done) return handoff;
            // an upload was queued while we decided: decide again with it
        }
        throw new RetryableException("the deploy queue of " + environment + " changed " + ATTEMPTS + " times while "
                + holder + " released the lock");
    }

    /** The lock as stored, read with strong consistency; empty when no deploy ever ran in the environment. */
    public Optional<LockState> state(String environment) {
        return Optional.ofNullable(read(environment)).map(DeployLock::parse);
    }

    private static LockState parse(Map<String, AttributeValue> item) {
        List<Upload> queued = new ArrayList<>();
        AttributeValue q = item.get("queue");
        if (q != null && q.hasM()) q.m().values().forEach(v -> queued.add(fromMap(v.m())));
        queued.sort(Upload.OLDEST_FIRST);
        return new LockState(str(item, "holder"),
                item.containsKey("leaseExpiresAt") ? Instant.ofEpochMilli(Long.parseLong(item.get("leaseExpiresAt").n())) : null,
                str(item, "newestStarted"), queued);
    }

    private Map<String, AttributeValue> read(String environment) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("environment", s(environment)))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private boolean update(String environment, String update, String condition, Map<String, AttributeValue> values) {
        return update(environment, update, condition, values, Map.of());
    }

    /** One conditional write; false when the condition did not hold. */
    private boolean update(String environment, String update, String condition, Map<String, AttributeValue> values,
                           Map<String, String> extraNames) {
        Map<String, String> names = new HashMap<>();
        // DynamoDB refuses names an expression does not use
        NAMES.forEach((k, v) -> { if (update.contains(k) || condition.contains(k)) names.put(k, v); });
        names.putAll(extraNames);
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Map.of("environment", s(environment)))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The hand-off {@code holder} made when it last released, if it is the last one made. */
    private static Handoff lastHandoff(Map<String, AttributeValue> item, String holder) {
        AttributeValue lh = item.get("lastHandoff");
        if (lh == null || !lh.hasM() || !holder.equals(str(lh.m(), "from"))) return Handoff.NOTHING;
        Map<String, AttributeValue> m = lh.m();
        Optional<Upload> next = m.containsKey("next") ? Optional.of(fromMap(m.get("next").m())) : Optional.empty();
        List<Upload> superseded = m.containsKey("superseded")
                ? m.get("superseded").l().stream().map(v -> fromMap(v.m())).toList() : List.of();
        return new Handoff(next, superseded);
    }

    private static Map<String, AttributeValue> toMap(String from, Handoff handoff) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("from", s(from));
        handoff.next().ifPresent(n -> m.put("next", AttributeValue.fromM(toMap(n))));
        m.put("superseded", AttributeValue.fromL(handoff.superseded().stream().map(u -> AttributeValue.fromM(toMap(u))).toList()));
        return m;
    }

    private static Map<String, AttributeValue> toMap(Upload u) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("id", s(u.id()));
        m.put("uploadedAt", s(u.uploadedAt().toString()));
        if (u.bucket() != null) m.put("bucket", s(u.bucket()));
        if (u.key() != null) m.put("key", s(u.key()));
        if (u.versionId() != null) m.put("versionId", s(u.versionId()));
        if (u.sequencer() != null) m.put("sequencer", s(u.sequencer()));
        return m;
    }

    private static Upload fromMap(Map<String, AttributeValue> m) {
        return new Upload(str(m, "id"), Instant.parse(str(m, "uploadedAt")), str(m, "bucket"), str(m, "key"), str(m, "versionId"),
                str(m, "sequencer"));
    }

    private static String str(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? null : v.s();
    }

    private static AttributeValue s(String v) { return AttributeValue.fromS(v); }

    private static AttributeValue millis(Instant t) { return AttributeValue.fromN(Long.toString(t.toEpochMilli())); }
}
