package dev.pipeline.template;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local stack is template.yaml's, derived from it rather than restated: every function (with its environment),
 * every EventBridge rule, every table (with its keys) and every state machine of the template exists locally after
 * a deploy, and parameter values the template's constraints refuse are refused locally too.
 */
@ExtendWith(LocalCloudExtension.class)
class LocalStackMatchesTemplateIT {
    private static final String ENV = "vprofile";

    @Test
    void everyFunctionRuleTableAndStateMachine_ofTemplateYaml_existsLocally(LocalCloud cloud, EventBridgeClient events,
                                                                          DynamoDbClient dynamo, SfnClient sfn) throws Exception {
        SamTemplate template = SamTemplate.read(SamTemplate.locate(Path.of("")));

        LocalDeployment.Deployed deployed = LocalDeployment.inProcess(cloud, template).deploy(ENV, Map.of());

        for (SamTemplate.Function f : template.functions()) {
            assertThat(cloud.lambda().functionNames()).as(f.logicalId()).contains(LocalDeployment.functionName(ENV, f.logicalId()));
        }
        assertThat(deployed.functionEnvironment()).containsKey("CREATABLE_SERVICE_LINKED_ROLES"); // a plain template value
        var rules = events.listRules(b -> b.namePrefix(ENV + "-")).rules().stream().map(Rule::name).toList();
        for (SamTemplate.EventRule r : template.eventRules()) {
            assertThat(rules).as(r.functionLogicalId() + "." + r.eventName())
                    .contains(r.ruleName() != null ? r.ruleName() : LocalDeployment.ruleName(ENV, r.functionLogicalId(), r.eventName()));
        }
        assertThat(template.tables()).extracting(SamTemplate.Table::logicalId).contains("ReleasesTable", "DeployLockTable");
        for (SamTemplate.Table t : template.tables()) {
            var keys = dynamo.describeTable(b -> b.tableName(LocalDeployment.tableName(ENV, t.logicalId()))).table().keySchema();
            assertThat(keys).extracting(KeySchemaElement::attributeName)
                    .as(t.logicalId()).containsExactlyElementsOf(t.keys().stream().map(SamTemplate.Table.Key::name).toList());
        }
        var machines = sfn.listStateMachines().stateMachines().stream().map(StateMachineListItem::stateMachineArn).toList();
        for (SamTemplate.StateMachine m : template.stateMachines()) {
            assertThat(machines).as(m.logicalId()).contains(deployed.stateMachineArn(m.logicalId()));
        }
    }

    @Test
    void parameterValuesTheTemplateRefuses_areRefusedLocally(LocalCloud cloud) throws Exception {
        SamTemplate template = SamTemplate.read(SamTemplate.locate(Path.of("")));

        assertThatThrownBy(() -> LocalDeployment.inProcess(cloud, template).deploy(ENV, Map.of("DriftAutoFix", "yes")))
                .hasMessageContaining("DriftAutoFix \"yes\" is not one of [false, true]");
        assertThatThrownBy(() -> LocalDeployment.inProcess(cloud, template).deploy("Not_A_Name", Map.of()))
                .hasMessageContaining("EnvironmentName \"Not_A_Name\" does not match");
    }
}
