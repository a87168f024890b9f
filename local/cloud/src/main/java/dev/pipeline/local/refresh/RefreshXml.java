package dev.pipeline.local.refresh;

import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.GatewayResponse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Query-protocol answers of the Auto Scaling API: {@code <XResponse><XResult>..</XResult><ResponseMetadata>}. */
final class RefreshXml {
    static final String NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private RefreshXml() {}

    static GatewayResponse response(String action, String result) {
        String requestId = UUID.randomUUID().toString();
        String body = "<" + action + "Response xmlns=\"" + NAMESPACE + "\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata></" + action + "Response>";
        return new GatewayResponse(200, Map.of("Content-Type", List.of("text/xml"), "x-amzn-RequestId", List.of(requestId)),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Appends {@code <name>value</name>}, or nothing when value is null. */
    static void element(StringBuilder sb, String name, Object value) {
        if (value == null) return;
        String text = value instanceof Instant i ? timestamp(i) : value.toString();
        sb.append('<').append(name).append('>').append(AwsErrors.xmlEscape(text)).append("</").append(name).append('>');
    }

    /** ISO-8601 in UTC with milliseconds, as Auto Scaling writes timestamps. */
    static String timestamp(Instant i) {
        return i.truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(\\d{2}:\\d{2}:\\d{2})Z$", "$1.000Z");
    }
}
