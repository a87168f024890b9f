package dev.pipeline.provision.codedeploy;

import dev.pipeline.spec.EnvironmentSpec;

/**
 * The fixed names of an environment's CodeDeploy resources, in one place for provisioning, teardown, drift and the
 * deploy workflow: the application is named after the environment, its one deployment group {@code <env>-fleet}.
 * Names are the identity (unique per account and region); no other lookup is needed.
 */
public final class DeploymentGroupNames {
    /** The deployment group's suffix: the group deploys to the environment's app fleet. */
    static final String GROUP_COMPONENT = "fleet";

    private DeploymentGroupNames() {
    }

    /** The CodeDeploy application of environment {@code env}: {@code env} itself. */
    public static String application(String env) {
        return env;
    }

    /** The deployment group of environment {@code env}: {@code <env>-fleet}. */
    public static String group(String env) {
        return env + "-" + GROUP_COMPONENT;
    }

    public static String application(EnvironmentSpec spec) {
        return application(spec.name());
    }

    public static String group(EnvironmentSpec spec) {
        return group(spec.name());
    }
}
