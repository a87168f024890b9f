package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns an event as moto delivered it to a relay queue into the event AWS would have delivered, as far as
 * the event itself tells: a unique {@code id}, an {@code account}, AWS's field order. Pure and deterministic:
 * the same message always gives the same event, so a redelivered message starts no second execution.
 */
final class RelayedEvent {
    /** The id moto 5.2.1 puts on every S3 event (its event template's, never replaced). */
    static final String MOTO_CONSTANT_ID = "17793124-05d4-b198-2fde-7ededc63b103";

    /** The envelope fields in the order AWS documents and sends them. */
    private static final List<String> ENVELOPE = List.of(
            "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail");

    private RelayedEvent() {}

    /**
     * @param deliveryKey unique per delivered message and stable across its redeliveries (queue ARN + message id)
     * @param account     the account the rule lives in, for events moto sends without one (PutEvents)
     */
    static ObjectNode normalize(ObjectNode raw, String deliveryKey, String account) {
        ObjectNode e = raw.deepCopy();
        if (MOTO_CONSTANT_ID.equals(e.path("id").asText())) e.put("id", s3EventId(e, deliveryKey));
        // moto's default input template for PutEvents drops the account
        if (!e.hasNonNull("account")) e.put("account", account);
        return inAwsOrder(e);
    }

    /**
     * A unique id for a moto S3 event. In a versioned bucket the object version names the put, so every target
     * of one put sees the same id, as on AWS; without versions ("null") nothing in moto's event tells two puts of
     * the same content apart, so the id is made per delivered message instead.
     */
    static String s3EventId(JsonNode event, String deliveryKey) {
        JsonNode object = event.path("detail").path("object");
        String version = object.path("version-id").isTextual() ? object.path("version-id").asText() : "null";
        String seed = "null".equals(version)
                ? "delivery\n" + deliveryKey
                : String.join("\n", "s3", event.path("detail-type").asText(),
                        event.path("detail").path("bucket").path("name").asText(), object.path("key").asText(), version);
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static ObjectNode inAwsOrder(ObjectNode e) {
        ObjectNode ordered = e.objectNode();
        for (String field : ENVELOPE) {
            if (e.has(field)) ordered.set(field, e.get(field));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = e.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!ordered.has(f.getKey())) ordered.set(f.getKey(), f.getValue());
        }
        return ordered;
    }
}
