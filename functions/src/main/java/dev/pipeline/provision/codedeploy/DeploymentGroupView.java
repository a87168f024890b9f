package dev.pipeline.provision.codedeploy;

import java.util.List;
import java.util.Set;

/** A deployment group as GetDeploymentGroup describes it, in the terms {@link DeploymentGroupSettings} compares. */
public record DeploymentGroupView(String application, String group, String id, String serviceRoleArn,
                                  List<String> autoScalingGroups, List<String> targetGroups, String config,
                                  String deploymentType, String deploymentOption,
                                  boolean rollbackEnabled, Set<String> rollbackEvents,
                                  boolean alarmsEnabled, List<String> alarms) {
}
