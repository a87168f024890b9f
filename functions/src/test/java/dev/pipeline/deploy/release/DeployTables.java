package dev.pipeline.deploy.release;

import dev.pipeline.local.deploy.LocalDeployment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.List;

/** The releases and deploy-lock tables with the key schema template.yaml gives them. */
public final class DeployTables {
    /** The names the local deployment gives them, so a stage test's role may use them as the deployed function's may. */
    public static final String RELEASES = LocalDeployment.tableName("vprofile", "ReleasesTable");
    public static final String LOCK = LocalDeployment.tableName("vprofile", "DeployLockTable");

    private DeployTables() {}

    public static void create(DynamoDbClient dynamo) {
        table(dynamo, RELEASES, "environment", "releaseId");
        table(dynamo, LOCK, "environment", null);
    }

    private static void table(DynamoDbClient dynamo, String name, String hash, String range) {
        List<AttributeDefinition> attributes = new ArrayList<>(List.of(attr(hash)));
        List<KeySchemaElement> keys = new ArrayList<>(List.of(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build()));
        if (range != null) {
            attributes.add(attr(range));
            keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
        }
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes).keySchema(keys));
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
