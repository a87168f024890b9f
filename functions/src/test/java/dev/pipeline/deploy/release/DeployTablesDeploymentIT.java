package dev.pipeline.deploy.release;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class DeployTablesDeploymentIT {

    @Test
    void localDeployment_createsTheReleaseAndLockTables_andGivesEveryFunctionTheirNames(LocalCloud cloud, DynamoDbClient dynamo)
            throws Exception {
        SamTemplate template = SamTemplate.read(SamTemplate.locate(Path.of("")));

        LocalDeployment.Deployed deployed = LocalDeployment.inProcess(cloud, template).deploy("vprofile", Map.of());
        LocalDeployment.inProcess(cloud, template).deploy("vprofile", Map.of()); // deploying again is fine

        String releases = deployed.functionEnvironment().get("RELEASES_TABLE");
        String lock = deployed.functionEnvironment().get("LOCK_TABLE");
        TableDescription releasesTable = dynamo.describeTable(b -> b.tableName(releases)).table();
        TableDescription lockTable = dynamo.describeTable(b -> b.tableName(lock)).table();
        assertThat(releasesTable.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("environment", "releaseId");
        assertThat(lockTable.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("environment");
        assertThat(releasesTable.sseDescription().statusAsString()).isEqualTo("ENABLED");

        // and the store and the lock work on them as deployed
        Instant now = Instant.now();
        new ReleaseStore(dynamo, releases).put(Release.start("vprofile", "deploy-1", "releases/app.war", "v1", null, now, now, ReleaseStatus.DEPLOYING));
        assertThat(new ReleaseStore(dynamo, releases).list("vprofile", 5)).hasSize(1);
        assertThat(new DeployLock(dynamo, lock, Clock.systemUTC())
                .acquire("vprofile", new Upload("deploy-1", now, null, "releases/app.war", "v1"), Duration.ofMinutes(5)).outcome())
                .isEqualTo(LockAttempt.Outcome.ACQUIRED);
    }
}
