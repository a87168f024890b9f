package dev.pipeline.local.instances;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Optional;

import static dev.pipeline.local.instances.InstanceBootIT.await;
import static dev.pipeline.local.instances.InstanceBootIT.console;
import static dev.pipeline.local.instances.InstanceBootIT.givenImage;
import static dev.pipeline.local.instances.InstanceBootIT.launch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CodeDeploy agent installed on an instance as AWS documents it for Amazon Linux (ruby and wget, the installer
 * from the region's resource kit bucket, {@code ./install auto}): the local cloud serves the installer, which leaves
 * an enabled, running {@code codedeploy-agent} unit, and refuses what AWS's would.
 */
@ExtendWith(LocalCloudExtension.class)
class CodeDeployAgentInstallIT {
    static final String INSTALL = """
            #!/bin/bash
            set -euo pipefail
            dnf install -y ruby wget
            cd "$(mktemp -d)"
            wget https://aws-codedeploy-us-east-1.s3.us-east-1.amazonaws.com/latest/install
            chmod +x ./install
            ./install auto
            systemctl status codedeploy-agent
            systemctl is-enabled codedeploy-agent
            echo AGENT-INSTALLED
            """;

    @Test
    void theDocumentedInstall_leavesAnEnabledRunningAgent_butWithoutRubyTheInstallerFails_andWgetNeedsItsPackage(Ec2Client ec2)
            throws Exception {
        String image = givenImage(ec2);
        String good = launch(ec2, INSTALL, null, image);
        String noRuby = launch(ec2, INSTALL.replace("dnf install -y ruby wget", "dnf install -y wget"), null, image);
        String noWget = launch(ec2, INSTALL.replace("dnf install -y ruby wget", "dnf install -y ruby"), null, image);

        String out = await(() -> Optional.of(console(ec2, good)).filter(c -> c.contains("AGENT-INSTALLED")), "the agent's install");
        assertThat(out).contains("Installed: ruby", "Installed: wget", "codedeploy-agent.service - AWS CodeDeploy Host Agent",
                "Active: active (running)", "enabled");

        String failed = await(() -> Optional.of(console(ec2, noRuby)).filter(c -> c.contains("Failed to run module scripts-user")),
                "the install without ruby to fail");
        assertThat(failed).contains("/usr/bin/env: 'ruby': No such file or directory").doesNotContain("AGENT-INSTALLED");

        String noDownload = await(() -> Optional.of(console(ec2, noWget)).filter(c -> c.contains("Failed to run module scripts-user")),
                "the download without wget to fail");
        assertThat(noDownload).contains("wget: command not found");
    }
}
