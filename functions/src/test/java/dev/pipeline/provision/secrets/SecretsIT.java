package dev.pipeline.provision.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.Tag;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class SecretsIT {
    private static final String DB = "/pipeline/vprofile/db/password";
    private static final String RMQ = "/pipeline/vprofile/rmq/password";

    @Test
    void provision_createsTwoSecureStrings_andReturnsTheirNamesOnly(LocalCloud cloud, SsmClient ssm) {
        LandingZone zone = LandingZone.create(cloud);

        JsonNode out = provision(zone, cloud);

        // names only: exactly the two fields, and neither value appears anywhere in the output
        assertThat(out.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("databasePasswordParameter", "brokerPasswordParameter");
        assertThat(out.path("databasePasswordParameter").asText()).isEqualTo(DB);
        assertThat(out.path("brokerPasswordParameter").asText()).isEqualTo(RMQ);
        Parameter db = decrypted(ssm, DB);
        Parameter rmq = decrypted(ssm, RMQ);
        for (Parameter p : List.of(db, rmq)) {
            assertThat(p.type()).isEqualTo(ParameterType.SECURE_STRING);
            assertThat(p.value()).matches("[A-Za-z0-9]{32}");
            assertThat(out.toString()).doesNotContain(p.value());
        }
        assertThat(db.value()).isNotEqualTo(rmq.value());
        assertThat(tags(ssm, DB)).containsAllEntriesOf(Map.of("pipeline:environment", "vprofile",
                "pipeline:component", "db-password", "project", "vprofile"));
    }

    @Test
    void provision_keepsTheValues_whenRunAgain(LocalCloud cloud, SsmClient ssm) {
        LandingZone zone = LandingZone.create(cloud);
        provision(zone, cloud);
        String db = decrypted(ssm, DB).value();
        String rmq = decrypted(ssm, RMQ).value();

        provision(zone, cloud);

        assertThat(decrypted(ssm, DB).value()).isEqualTo(db);
        assertThat(decrypted(ssm, RMQ).value()).isEqualTo(rmq);
        assertThat(decrypted(ssm, DB).version()).isEqualTo(1L);
    }

    @Test
    void provision_keepsAnExistingPassword_andCreatesOnlyTheMissingOne(LocalCloud cloud, SsmClient ssm) {
        // given the broker password was set before (say, restored from a backup)
        LandingZone zone = LandingZone.create(cloud);
        ssm.putParameter(b -> b.name(RMQ).type(ParameterType.SECURE_STRING).value("KeptBrokerPassword1"));

        provision(zone, cloud);

        assertThat(decrypted(ssm, RMQ).value()).isEqualTo("KeptBrokerPassword1");
        assertThat(decrypted(ssm, DB).value()).matches("[A-Za-z0-9]{32}");
    }

    @Test
    void provision_refusesAPlainStringParameter_withoutTouchingIt(LocalCloud cloud, SsmClient ssm) {
        LandingZone zone = LandingZone.create(cloud);
        ssm.putParameter(b -> b.name(DB).type(ParameterType.STRING).value("admin123"));

        assertThatThrownBy(() -> provision(zone, cloud))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining(DB).hasMessageContaining("SecureString")
                .hasMessageNotContaining("admin123");
        assertThat(decrypted(ssm, DB).type()).isEqualTo(ParameterType.STRING);
        assertThat(decrypted(ssm, DB).value()).isEqualTo("admin123");
    }

    @Test
    void teardown_deletesBothParametersAndTheManifest_andIsFineTwice(LocalCloud cloud, SsmClient ssm, S3Client s3) {
        // given the secrets and an applied manifest
        LandingZone zone = LandingZone.create(cloud);
        provision(zone, cloud);
        s3.putObject(b -> b.bucket(zone.bucket()).key("pipeline/vprofile/manifest.json"), RequestBody.fromString("{}"));
        s3.putObject(b -> b.bucket(zone.bucket()).key("bootstrap/ROOT.war"), RequestBody.fromBytes(new byte[]{'P', 'K', 5, 6}));

        // when
        JsonNode out = teardown(zone, cloud);

        // then
        assertThat(out.path("ready").asBoolean()).isTrue();
        assertThat(out.path("deleted").toString()).contains(DB, RMQ, "s3://" + zone.bucket() + "/pipeline/vprofile/manifest.json");
        assertThat(ssm.describeParameters().parameters()).isEmpty();
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(zone.bucket()).key("pipeline/vprofile/manifest.json")))
                .isInstanceOf(NoSuchKeyException.class);
        // the release WARs in the same bucket are not touched
        assertThat(s3.headObject(b -> b.bucket(zone.bucket()).key("bootstrap/ROOT.war")).contentLength()).isPositive();

        JsonNode again = teardown(zone, cloud);
        assertThat(again.path("ready").asBoolean()).isTrue();
        assertThat(again.path("deleted").toString()).doesNotContain(DB, RMQ);
    }

    private static JsonNode provision(LandingZone zone, LocalCloud cloud) {
        return StageHarness.invoke(new ProvisionSecretsHandler(zone.functionEnvironment(cloud, "ProvisionSecretsFunction")), StageHarness.state(zone.spec()));
    }

    private static JsonNode teardown(LandingZone zone, LocalCloud cloud) {
        return StageHarness.invoke(new TeardownSecretsHandler(zone.functionEnvironment(cloud, "TeardownSecretsFunction")), StageHarness.state(zone.spec()));
    }

    private static Parameter decrypted(SsmClient ssm, String name) {
        return ssm.getParameter(b -> b.name(name).withDecryption(true)).parameter();
    }

    private static Map<String, String> tags(SsmClient ssm, String name) {
        return ssm.listTagsForResource(b -> b.resourceType("Parameter").resourceId(name)).tagList().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }
}
