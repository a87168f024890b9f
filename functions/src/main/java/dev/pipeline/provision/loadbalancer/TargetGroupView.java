package dev.pipeline.provision.loadbalancer;

import java.util.List;
import java.util.Map;

/** A target group that exists, with its attributes and tags. */
public record TargetGroupView(String arn, String name, String protocol, int port, String vpcId, String targetType,
                              HealthCheckSettings healthCheck, Map<String, String> attributes, Map<String, String> tags,
                              List<String> loadBalancerArns) {
}
