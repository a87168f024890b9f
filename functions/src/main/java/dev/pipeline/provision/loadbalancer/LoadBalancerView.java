package dev.pipeline.provision.loadbalancer;

import java.util.List;
import java.util.Map;

/**
 * A load balancer that exists.
 *
 * @param state provisioning, active, active_impaired or failed
 */
public record LoadBalancerView(String arn, String name, String dnsName, String state, String scheme, String type,
                               String vpcId, List<String> securityGroups, Map<String, String> tags) {

    public boolean active() {
        return "active".equals(state);
    }
}
