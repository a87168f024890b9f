package dev.pipeline.provision.codedeploy;

/** The CodeDeploy application and deployment group of an environment (placeholder until provisioning lands). */
public final class DeploymentGroupNames {
    private DeploymentGroupNames() {}

    public static String application(String environment) { return environment; }

    public static String group(String environment) { return environment + "-fleet"; }
}
