package dev.pipeline.local.codedeploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentConfigTest {
    private static DeploymentConfig predefined(String name) { return DeploymentConfig.PREDEFINED.get("CodeDeployDefault." + name); }

    @Test
    void oneAtATime_deploysOneInstanceAtATime_andKeepsAllButOneHealthy() {
        DeploymentConfig c = predefined("OneAtATime");
        assertThat(c.batchSize(4)).isEqualTo(1);
        assertThat(c.minimumHealthy(4)).isEqualTo(3);
        // "if the deployment to the last instance fails, the overall deployment is still successful" (MinimumHealthyHosts)
        assertThat(c.succeeded(4, 3)).isTrue();
        assertThat(c.succeeded(4, 2)).isFalse();
        assertThat(c.batchSize(1)).isEqualTo(1);
        assertThat(c.succeeded(1, 0)).isFalse();
    }

    @Test
    void halfAtATime_andAllAtOnce() {
        assertThat(predefined("HalfAtATime").batchSize(4)).isEqualTo(2);
        assertThat(predefined("HalfAtATime").batchSize(5)).isEqualTo(2); // ceil(2.5) = 3 must stay healthy
        assertThat(predefined("AllAtOnce").batchSize(5)).isEqualTo(5);
        assertThat(predefined("AllAtOnce").succeeded(5, 1)).isTrue();
        assertThat(predefined("AllAtOnce").succeeded(5, 0)).isFalse();
    }

    @Test
    void custom_asTheApiReferenceExample_ninInstances() {
        // "if a HOST_COUNT of six is specified, deploy to up to three instances at a time ... If a FLEET_PERCENT of 40 is
        // specified, deploy to up to five instances at a time" (API reference, MinimumHealthyHosts)
        assertThat(new DeploymentConfig("c", "HOST_COUNT", 6).batchSize(9)).isEqualTo(3);
        assertThat(new DeploymentConfig("c", "HOST_COUNT", 6).succeeded(9, 6)).isTrue();
        assertThat(new DeploymentConfig("c", "HOST_COUNT", 6).succeeded(9, 5)).isFalse();
        assertThat(new DeploymentConfig("c", "FLEET_PERCENT", 40).batchSize(9)).isEqualTo(5);
        assertThat(new DeploymentConfig("c", "FLEET_PERCENT", 40).succeeded(9, 4)).isTrue();
        // a constraint that leaves nothing to deploy to: HEALTH_CONSTRAINTS_INVALID
        assertThat(new DeploymentConfig("c", "HOST_COUNT", 3).batchSize(3)).isZero();
    }
}
