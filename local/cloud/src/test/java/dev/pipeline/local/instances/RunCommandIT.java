package dev.pipeline.local.instances;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.pipeline.local.instances.InstanceBootIT.await;
import static dev.pipeline.local.instances.InstanceBootIT.get;
import static dev.pipeline.local.instances.InstanceBootIT.givenImage;
import static dev.pipeline.local.instances.InstanceBootIT.givenProfile;
import static dev.pipeline.local.instances.InstanceBootIT.launch;
import static org.assertj.core.api.Assertions.assertThat;

/** Run Command's AWS-RunShellScript runs on the instance (moto says Success without running anything). */
@ExtendWith(LocalCloudExtension.class)
class RunCommandIT {
    private static final Set<String> RUNNING = Set.of("Pending", "InProgress", "Delayed");

    @Test
    void script_runsOnTheInstance_andItsOutcomeIsTheInvocations(LocalCloud cloud, Ec2Client ec2, IamClient iam, SsmClient ssm) throws Exception {
        String id = managedInstance(cloud, ec2, iam, ssm);

        GetCommandInvocationResponse done = runToEnd(ssm, id, List.of(
                "dnf install -y tomcat9",
                "mkdir -p /var/lib/tomcat9/webapps/ROOT",
                "echo '<%= \"installed by \" + \"run command\" %>' > /var/lib/tomcat9/webapps/ROOT/index.jsp",
                "systemctl start tomcat9",
                "echo 'to stderr' >&2",
                "echo \"ran as $(id -un)\""));

        assertThat(done.status()).isEqualTo(CommandInvocationStatus.SUCCESS);
        assertThat(done.responseCode()).isZero();
        assertThat(done.standardOutputContent()).contains("ran as root").doesNotContain("to stderr");
        assertThat(done.standardErrorContent()).contains("to stderr");
        assertThat(await(() -> get(cloud, id).filter(b -> b.contains("installed by")), "Tomcat started by the command"))
                .contains("installed by run command");
    }

    @Test
    void failingScript_isFailed_withItsExitCodeAndStderr_andRunningOnesSayNothingYet(LocalCloud cloud, Ec2Client ec2, IamClient iam, SsmClient ssm) throws Exception {
        String id = managedInstance(cloud, ec2, iam, ssm);
        String commandId = send(ssm, id, List.of("set -eu", "echo 'health check failed: 500' >&2", "sleep 3000", "exit 3"));

        GetCommandInvocationResponse early = invocation(ssm, commandId, id).orElseThrow();
        GetCommandInvocationResponse done = await(() -> invocation(ssm, commandId, id).filter(r -> !RUNNING.contains(r.statusAsString())),
                "the command to end");

        assertThat(early.statusAsString()).isIn(RUNNING);
        assertThat(early.responseCode()).isEqualTo(-1);
        assertThat(early.standardErrorContent()).isEmpty();
        assertThat(done.status()).isEqualTo(CommandInvocationStatus.FAILED);
        assertThat(done.responseCode()).isEqualTo(3);
        assertThat(done.standardErrorContent()).contains("health check failed: 500");
    }

    @Test
    void instanceWithoutProfile_isRefused_asAnUnmanagedInstance(Ec2Client ec2, SsmClient ssm) throws Exception {
        String id = launch(ec2, null, null, givenImage(ec2));

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> send(ssm, id, List.of("true")));

        assertThat(refused).isInstanceOf(InvalidInstanceIdException.class);
    }

    /** A running instance with a profile whose agent has registered (SendCommand is accepted). */
    private static String managedInstance(LocalCloud cloud, Ec2Client ec2, IamClient iam, SsmClient ssm) throws Exception {
        String id = launch(ec2, null, givenProfile(iam, "cmd-role", "cmd-profile"), givenImage(ec2));
        await(() -> Optional.of(cloud.instanceModel().ssmRegistered(id)).filter(b -> b), "the SSM agent to register");
        return id;
    }

    private static GetCommandInvocationResponse runToEnd(SsmClient ssm, String id, List<String> lines) throws Exception {
        String commandId = send(ssm, id, lines);
        return await(() -> invocation(ssm, commandId, id).filter(r -> !RUNNING.contains(r.statusAsString())), "the command to end");
    }

    private static String send(SsmClient ssm, String id, List<String> lines) {
        return ssm.sendCommand(b -> b.documentName("AWS-RunShellScript").instanceIds(id)
                .parameters(Map.of("commands", lines, "executionTimeout", List.of("600")))).command().commandId();
    }

    private static Optional<GetCommandInvocationResponse> invocation(SsmClient ssm, String commandId, String id) {
        try {
            return Optional.of(ssm.getCommandInvocation(b -> b.commandId(commandId).instanceId(id)));
        } catch (InvocationDoesNotExistException e) {
            return Optional.empty();
        }
    }
}
