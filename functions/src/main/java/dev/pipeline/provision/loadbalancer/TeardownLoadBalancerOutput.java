package dev.pipeline.provision.loadbalancer;

import java.util.List;

/**
 * What TeardownLoadBalancer leaves at {@code $.loadBalancer}.
 *
 * @param ready   the load balancer and the target group are both gone
 * @param deleted what this call deleted (names), for the execution history
 * @param waiting what is still on its way out, in a user's words; empty when ready
 */
public record TeardownLoadBalancerOutput(boolean ready, List<String> deleted, List<String> waiting) {
}
