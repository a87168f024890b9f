package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RelayedEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void motoS3Events_getDistinctIds_perObjectVersion() throws Exception {
        ObjectNode v1 = RelayedEvent.normalize(s3Event("releases/a.war", "\"v1\""), "q/m1", "123456789012");
        ObjectNode v2 = RelayedEvent.normalize(s3Event("releases/a.war", "\"v2\""), "q/m2", "123456789012");

        assertThat(v1.path("id").asText()).isNotEqualTo(RelayedEvent.MOTO_CONSTANT_ID).isNotEqualTo(v2.path("id").asText());
    }

    @Test
    void oneS3Put_hasTheSameId_inEveryTargetItReaches() throws Exception {
        ObjectNode viaRuleA = RelayedEvent.normalize(s3Event("releases/a.war", "\"v1\""), "queueA/m1", "123456789012");
        ObjectNode viaRuleB = RelayedEvent.normalize(s3Event("releases/a.war", "\"v1\""), "queueB/m7", "123456789012");

        assertThat(viaRuleA.path("id")).isEqualTo(viaRuleB.path("id"));
    }

    @Test
    void unversionedS3Events_getAnIdPerDelivery_andTheSameOneWhenRedelivered() throws Exception {
        ObjectNode first = RelayedEvent.normalize(s3Event("a.war", "\"null\""), "q/m1", "123456789012");
        ObjectNode second = RelayedEvent.normalize(s3Event("a.war", "\"null\""), "q/m2", "123456789012");
        ObjectNode firstAgain = RelayedEvent.normalize(s3Event("a.war", "\"null\""), "q/m1", "123456789012");

        assertThat(first.path("id")).isNotEqualTo(second.path("id")).isEqualTo(firstAgain.path("id"));
    }

    @Test
    void eventsWithTheirOwnId_keepIt_andGetTheAccountMotoLeftOut_inAwsFieldOrder() throws Exception {
        ObjectNode raw = (ObjectNode) JSON.readTree("""
            {"id":"abc","time":"2026-01-01T00:00:00Z","version":"0","detail-type":"Thing","source":"me",
             "region":"us-east-1","resources":[],"detail":{"a":1}}
            """);

        ObjectNode e = RelayedEvent.normalize(raw, "q/m1", "123456789012");

        assertThat(e.path("id").asText()).isEqualTo("abc");
        assertThat(e.path("account").asText()).isEqualTo("123456789012");
        assertThat(List.copyOf(e.properties().stream().map(java.util.Map.Entry::getKey).toList())).containsExactly(
                "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail");
    }

    private static ObjectNode s3Event(String key, String versionJson) throws Exception {
        return (ObjectNode) JSON.readTree("""
            {"version":"0","id":"%s","detail-type":"Object Created","source":"aws.s3","account":"123456789012",
             "time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":["arn:aws:s3:::b"],
             "detail":{"version":"0","bucket":{"name":"b"},"object":{"key":"%s","size":1,"version-id":%s}}}
            """.formatted(RelayedEvent.MOTO_CONSTANT_ID, key, versionJson));
    }
}
