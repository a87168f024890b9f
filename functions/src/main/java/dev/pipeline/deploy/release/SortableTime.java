package dev.pipeline.deploy.release;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as fixed-width UTC strings, so that string order is time order in DynamoDB sort keys and conditions.
 * {@link Instant#toString()} is not: it drops zero fractions ("...:05Z" sorts after "...:05.1Z").
 */
final class SortableTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private SortableTime() {}

    static String format(Instant t) { return FORMAT.format(t); }
}
