package dev.pipeline.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.provision.loadbalancer.HealthCheckSettings;
import dev.pipeline.provision.loadbalancer.TargetGroupSettings;
import dev.pipeline.provision.network.ProvisionSecurityGroupsOutput;
import dev.pipeline.provision.network.SecurityGroupLayout;
import dev.pipeline.provision.network.SgRule;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.LoadBalancer;
import dev.pipeline.spec.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the environment should look like: the spec's settings plus the ids the applied manifest recorded. Pure.
 * The same functions provisioning converges with ({@link SecurityGroupLayout}, {@link TargetGroupSettings}) give
 * the expected values, so a freshly provisioned environment has no findings by construction.
 */
public record Desired(EnvironmentSpec spec, Map<String, String> groupIds, Map<String, List<SgRule>> rules,
                      Map<String, Backend> backends, String zoneId, String zoneName, Map<String, String> records,
                      String targetGroupArn, String loadBalancerArn, List<Integer> listenerPorts, String launchTemplateId,
                      String groupName, String bucket) {

    /** A backend host (db01) and the instance the manifest recorded for it. */
    public record Backend(String host, Role role, String instanceId, String instanceType, String dnsName) {}

    public static Desired of(EnvironmentSpec spec, JsonNode manifest, String bucket) {
        JsonNode sg = manifest.path("securityGroups");
        var groups = new ProvisionSecurityGroupsOutput(sg.path("albGroupId").asText(), sg.path("appGroupId").asText(),
                sg.path("backendGroupId").asText());
        Map<String, String> groupIds = new LinkedHashMap<>();
        groupIds.put(SecurityGroupLayout.ALB, groups.albGroupId());
        groupIds.put(SecurityGroupLayout.APP, groups.appGroupId());
        groupIds.put(SecurityGroupLayout.BACKEND, groups.backendGroupId());

        Map<String, Backend> backends = new LinkedHashMap<>();
        for (Role role : List.of(Role.DB, Role.MC, Role.RMQ)) {
            String host = spec.instance(role).hostname().orElseThrow();
            JsonNode i = manifest.path("backends").path("instances").path(host);
            backends.put(host, new Backend(host, role, i.path("instanceId").asText(null), spec.instance(role).instanceType(),
                    recordName(spec.privateDnsName(role))));
        }
        Map<String, String> records = new LinkedHashMap<>();
        manifest.path("dns").path("records").fields().forEachRemaining(e -> records.put(recordName(e.getKey()), e.getValue().asText()));
        List<Integer> ports = new ArrayList<>(List.of(LoadBalancer.HTTP_PORT));
        if (spec.loadBalancer().httpsEnabled()) ports.add(LoadBalancer.HTTPS_PORT);
        JsonNode lb = manifest.path("loadBalancer");
        return new Desired(spec, groupIds, SecurityGroupLayout.rules(spec, groups), backends,
                manifest.path("dns").path("zoneId").asText(null), recordName(spec.privateZone()), records,
                lb.path("targetGroupArn").asText(null), lb.path("loadBalancerArn").asText(null), ports,
                manifest.path("launchTemplate").path("launchTemplateId").asText(null),
                manifest.path("fleet").path("groupName").asText(spec.resourceName("asg")), bucket);
    }

    /** The environment's alarms as provisioning writes them, for the recorded load balancer and target group. */
    public List<dev.pipeline.provision.alarms.AlarmDefinition> alarms() {
        if (targetGroupArn == null || loadBalancerArn == null) return List.of();
        return dev.pipeline.provision.alarms.EnvironmentAlarms.of(spec, loadBalancerArn, targetGroupArn);
    }

    public HealthCheckSettings healthCheck() {
        return HealthCheckSettings.of(spec.loadBalancer().healthCheck());
    }

    public Map<String, String> targetGroupAttributes() {
        return TargetGroupSettings.attributes(spec.loadBalancer());
    }

    /** Route 53 names end with a dot and compare case-insensitively; ours never do either. */
    public static String recordName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
