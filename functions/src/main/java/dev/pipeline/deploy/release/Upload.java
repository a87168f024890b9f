package dev.pipeline.deploy.release;

import java.time.Instant;
import java.util.Comparator;

/**
 * An upload asking to be deployed. {@code id} names its deploy (the execution name, derived from key and version
 * id, so a repeated S3 event is the same upload); {@code uploadedAt} (the S3 event's time, not when the event reached
 * us) decides which of two uploads is newer, then the S3 event's {@code sequencer}, then the id.
 *
 * <p>S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html): the sequencer is
 * "a string representation of a hexadecimal value used to determine event sequence" for PUTs and DELETEs of an object
 * key; event notifications are not delivered in order, and sequencers of different lengths compare after the shorter
 * is left-padded with zeros. EventBridge's {@code time} has one-second precision, so two uploads in one second are
 * told apart by the sequencer.
 */
public record Upload(String id, Instant uploadedAt, String bucket, String key, String versionId, String sequencer) {
    public static final Comparator<Upload> OLDEST_FIRST = Comparator.comparing(Upload::order);
    /** Sequencers are padded to this many hex digits (S3's are 16-18 today). */
    static final int SEQUENCER_WIDTH = 32;

    public Upload {
        if (id == null || id.isBlank() || uploadedAt == null) throw new IllegalArgumentException("an upload needs an id and a time");
        if (sequencer != null && !sequencer.matches("[0-9A-Fa-f]{1," + SEQUENCER_WIDTH + "}")) {
            throw new IllegalArgumentException("an S3 event sequencer is a hexadecimal string, got \"" + sequencer + "\"");
        }
    }

    /** An upload without a sequencer (a rollback, or an event from before sequencers were recorded). */
    public Upload(String id, Instant uploadedAt, String bucket, String key, String versionId) {
        this(id, uploadedAt, bucket, key, versionId, null);
    }

    /** The total order of uploads as one string, comparable inside DynamoDB condition expressions. */
    public String order() {
        String seq = sequencer == null ? "" : sequencer.toUpperCase(java.util.Locale.ROOT);
        return SortableTime.format(uploadedAt) + "#" + "0".repeat(SEQUENCER_WIDTH - seq.length()) + seq + "#" + id;
    }
}
