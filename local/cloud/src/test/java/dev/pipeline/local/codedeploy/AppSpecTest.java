package dev.pipeline.local.codedeploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppSpecTest {
    @Test
    void parsesFilesAndHooks_withTheDefaultTimeout() throws Exception {
        AppSpec spec = AppSpec.parse("""
                version: 0.0
                os: linux
                files:
                  - source: site
                    destination: /var/lib/tomcat9/webapps/ROOT
                hooks:
                  ApplicationStop:
                    - location: scripts/stop.sh
                      timeout: 60
                      runas: root
                  ValidateService:
                    - location: scripts/validate.sh
                    - location: scripts/smoke.sh
                      timeout: 30
                """);
        assertThat(spec.os()).isEqualTo("linux");
        assertThat(spec.files()).containsExactly(new AppSpec.FileMapping("site", "/var/lib/tomcat9/webapps/ROOT"));
        assertThat(spec.scripts("ApplicationStop")).containsExactly(new AppSpec.Script("scripts/stop.sh", 60, "root"));
        assertThat(spec.scripts("ValidateService")).containsExactly(
                new AppSpec.Script("scripts/validate.sh", 3600, null), new AppSpec.Script("scripts/smoke.sh", 30, null));
        assertThat(spec.scripts("BeforeInstall")).isEqualTo(List.of());
    }

    @Test
    void refusesWhatTheAgentRefuses() {
        assertThatThrownBy(() -> AppSpec.parse("os: linux\n")).isInstanceOf(AppSpec.Invalid.class).hasMessageContaining("version");
        assertThatThrownBy(() -> AppSpec.parse("version: 0.0\nhooks:\n  AfterInstall:\n    - timeout: 5\n"))
                .isInstanceOf(AppSpec.Invalid.class).hasMessageContaining("location");
        assertThatThrownBy(() -> AppSpec.parse("version: 0.0\nhooks:\n  AfterInstall:\n    - location: a.sh\n      timeout: 3601\n"))
                .isInstanceOf(AppSpec.Invalid.class).hasMessageContaining("3600");
    }

    @Test
    void lifecycleEvents_inAwsOrder() {
        assertThat(DeploymentRunner.events(false)).containsExactly("ApplicationStop", "DownloadBundle", "BeforeInstall", "Install",
                "AfterInstall", "ApplicationStart", "ValidateService");
        assertThat(DeploymentRunner.events(true)).startsWith("BeforeBlockTraffic", "BlockTraffic", "AfterBlockTraffic", "ApplicationStop")
                .endsWith("ValidateService", "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic").hasSize(13);
    }

    @Test
    void scriptLog_keepsTheNewestWholeEntriesWithin2048Characters() {
        DeploymentRunner.ScriptLog log = new DeploymentRunner.ScriptLog();
        for (int i = 0; i < 100; i++) log.append("[stdout]line " + i + " " + "x".repeat(40) + "\n");
        assertThat(log.tail().length()).isLessThanOrEqualTo(2048);
        assertThat(log.tail()).endsWith("line 99 " + "x".repeat(40) + "\n").startsWith("[stdout]line ");
    }
}
