package dev.pipeline.provision.loadbalancer;

import java.util.List;

/**
 * What ProvisionLoadBalancer leaves at {@code $.loadBalancer}.
 *
 * @param alarmNames the environment's CloudWatch alarms, which every release's instance refresh watches
 * @param ready   the load balancer is {@code active} (AWS takes a few minutes after creation)
 * @param changes what this call created or converged, in a user's words; empty when everything already matched
 */
public record ProvisionLoadBalancerOutput(String targetGroupArn, String loadBalancerArn, String dnsName,
                                          List<String> listenerArns, List<String> alarmNames, boolean ready, List<String> changes) {
}
