package dev.pipeline.local.stepfunctions;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** State machine and execution names Step Functions refuses (over 80 characters, forbidden characters) are refused. */
@ExtendWith(LocalCloudExtension.class)
class NameRuleIT {
    private static final String ROLE = "arn:aws:iam::123456789012:role/s";
    private static final String PASS = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";

    @Test
    void aStateMachineNameOf81Characters_isRefused_and80IsTaken(SfnClient sfn) {
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("m".repeat(81)).definition(PASS).roleArn(ROLE)))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("1 to 80");
        assertThat(sfn.createStateMachine(b -> b.name("m".repeat(80)).definition(PASS).roleArn(ROLE)).stateMachineArn()).isNotBlank();
    }

    @Test
    void anExecutionNameWithASlashOrOver80Characters_isRefused(SfnClient sfn) {
        String machine = sfn.createStateMachine(b -> b.name("names").definition(PASS).roleArn(ROLE)).stateMachineArn();

        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("releases/app.war")))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("e".repeat(81))))
                .isInstanceOf(InvalidNameException.class);
    }
}
