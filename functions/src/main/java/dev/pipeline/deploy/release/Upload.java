package dev.pipeline.deploy.release;

import java.time.Instant;
import java.util.Comparator;

/**
 * An upload asking to be deployed. {@code id} names its deploy (the execution name, derived from key and version
 * id, so a repeated S3 event is the same upload); {@code uploadedAt} decides which of two uploads is newer, the id
 * breaks ties.
 */
public record Upload(String id, Instant uploadedAt, String bucket, String key, String versionId) {
    public static final Comparator<Upload> OLDEST_FIRST = Comparator.comparing(Upload::order);

    public Upload {
        if (id == null || id.isBlank() || uploadedAt == null) throw new IllegalArgumentException("an upload needs an id and a time");
    }

    /** The total order of uploads as one string, comparable inside DynamoDB condition expressions. */
    public String order() { return SortableTime.format(uploadedAt) + "#" + id; }
}
