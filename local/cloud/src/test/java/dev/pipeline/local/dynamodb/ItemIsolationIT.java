package dev.pipeline.local.dynamodb;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class ItemIsolationIT {

    @Test
    void concurrentConditionalUpdates_onOneItem_exactlyOneWins(DynamoDbClient dynamo) throws Exception {
        dynamo.createTable(b -> b.tableName("locks").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));

        for (int round = 0; round < 20; round++) {
            String id = "lock-" + round;
            List<Callable<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String holder = "holder-" + i;
                racers.add(() -> {
                    try {
                        // the shape of a lease lock: take it when free, or when its holder is already this one
                        dynamo.updateItem(b -> b.tableName("locks").key(Map.of("id", AttributeValue.fromS(id)))
                                .updateExpression("SET holder = :me, queue = if_not_exists(queue, :empty)")
                                .conditionExpression("attribute_not_exists(holder) OR holder = :me")
                                .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(holder),
                                        ":empty", AttributeValue.fromM(Map.of()))));
                        return true;
                    } catch (ConditionalCheckFailedException e) {
                        return false;
                    }
                });
            }
            int winners = 0;
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                for (Future<Boolean> f : pool.invokeAll(racers)) if (f.get()) winners++;
            }
            assertThat(winners).as("round " + round + ": updates that took the free lock").isEqualTo(1);
        }
    }
}
