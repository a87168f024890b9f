package dev.pipeline.local.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Local names of what the deployment creates. */
class LocalDeploymentTest {

    @Test
    void ruleName_isEnvironmentFunctionAndEvent() {
        assertThat(LocalDeployment.ruleName("dev", "StartDeployFunction", "ReleaseUploaded"))
                .isEqualTo("dev-StartDeployFunction-ReleaseUploaded");
    }

    @Test
    void longRuleName_staysWithinEventBridgesLimit_andDistinctPerEvent() {
        String a = LocalDeployment.ruleName("environment-with-a-long-name", "StartDeployFunctionWithALongName", "ReleaseUploadedA");
        String b = LocalDeployment.ruleName("environment-with-a-long-name", "StartDeployFunctionWithALongName", "ReleaseUploadedB");

        assertThat(a).hasSizeLessThanOrEqualTo(64).matches("[A-Za-z0-9._-]+").isNotEqualTo(b);
        assertThat(a).isEqualTo(LocalDeployment.ruleName("environment-with-a-long-name",
                "StartDeployFunctionWithALongName", "ReleaseUploadedA"));
    }
}
