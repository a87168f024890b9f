package dev.pipeline.deploy.release;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The release history in DynamoDB (table RELEASES_TABLE: partition key {@code environment}, sort key
 * {@code releaseId}). A put replaces the whole record, so recording the same state twice is harmless.
 */
public final class ReleaseStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public ReleaseStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public void put(Release release) {
        dynamo.putItem(b -> b.tableName(table).item(toItem(release)));
    }

    /** Read with strong consistency: a stage reading back what the previous stage wrote must see it. */
    public Optional<Release> get(String environment, String releaseId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("environment", s(environment), "releaseId", s(releaseId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** The environment's releases, newest first, at most {@code limit}. */
    public List<Release> list(String environment, int limit) {
        List<Release> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#e = :e")
                    .expressionAttributeNames(Map.of("#e", "environment"))
                    .expressionAttributeValues(Map.of(":e", s(environment)))
                    .scanIndexForward(false)
                    .limit(Math.min(limit - out.size(), 100))
                    .exclusiveStartKey(from)
                    .build());
            page.items().forEach(i -> out.add(fromItem(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && out.size() < limit);
        return out;
    }

    private static Map<String, AttributeValue> toItem(Release r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("environment", s(r.environment()));
        item.put("releaseId", s(r.releaseId()));
        item.put("status", s(r.status().name()));
        putIfSet(item, "key", r.key());
        putIfSet(item, "versionId", r.versionId());
        putIfSet(item, "sha256", r.sha256());
        putIfSet(item, "ami", r.ami());
        if (r.launchTemplateVersion() != null) item.put("launchTemplateVersion", n(r.launchTemplateVersion()));
        putIfSet(item, "reason", r.reason());
        putIfSet(item, "uploadedAt", r.uploadedAt() == null ? null : r.uploadedAt().toString());
        putIfSet(item, "startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        putIfSet(item, "finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        putIfSet(item, "execution", r.execution());
        putIfSet(item, "rollbackOf", r.rollbackOf());
        if (r.inPlace() != null) {
            putIfSet(item, "inPlaceDeploymentId", r.inPlace().deploymentId());
            putIfSet(item, "inPlaceRevisionKey", r.inPlace().revisionKey());
            putIfSet(item, "inPlaceLiveAt", r.inPlace().liveAt() == null ? null : r.inPlace().liveAt().toString());
        }
        return item;
    }

    private static Release fromItem(Map<String, AttributeValue> i) {
        return new Release(str(i, "environment"), str(i, "releaseId"), str(i, "key"), str(i, "versionId"),
                str(i, "sha256"), str(i, "ami"),
                i.containsKey("launchTemplateVersion") ? Long.valueOf(i.get("launchTemplateVersion").n()) : null,
                ReleaseStatus.valueOf(str(i, "status")), str(i, "reason"),
                time(i, "uploadedAt"), time(i, "startedAt"), time(i, "finishedAt"), str(i, "execution"),
                str(i, "rollbackOf"), i.containsKey("inPlaceDeploymentId") ? new Release.InPlace(str(i, "inPlaceDeploymentId"),
                str(i, "inPlaceRevisionKey"), time(i, "inPlaceLiveAt")) : null);
    }

    private static void putIfSet(Map<String, AttributeValue> item, String name, String value) {
        // DynamoDB refuses empty strings in key attributes only, but "absent" reads back clearer than ""
        if (value != null && !value.isEmpty()) item.put(name, s(value));
    }

    private static String str(Map<String, AttributeValue> i, String name) {
        AttributeValue v = i.get(name);
        return v == null ? null : v.s();
    }

    private static Instant time(Map<String, AttributeValue> i, String name) {
        String v = str(i, name);
        return v == null ? null : Instant.parse(v);
    }

    private static AttributeValue s(String v) { return AttributeValue.fromS(v); }

    private static AttributeValue n(long v) { return AttributeValue.fromN(Long.toString(v)); }
}
