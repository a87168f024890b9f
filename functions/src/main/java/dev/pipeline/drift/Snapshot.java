package dev.pipeline.drift;

import dev.pipeline.provision.alarms.AlarmDefinition;
import dev.pipeline.provision.codedeploy.DeploymentGroupView;
import dev.pipeline.provision.loadbalancer.HealthCheckSettings;
import dev.pipeline.provision.network.SgRule;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment as the describe calls found it: plain records, no SDK types, so the rules are pure. {@code records}
 * maps an A record's name to its first value, {@code recordTtls} the same names to their TTL in seconds. An area in
 * {@link #unreadable()} was denied and its field is empty; an absent resource is an empty Optional (or missing
 * from its map) in a readable area. {@code alarms} are the environment's alarms found, by name (empty: not read).
 * {@code deploymentGroup} is CodeDeploy's group of the environment when {@code deploymentGroupRead} (empty then: absent).
 */
public record Snapshot(Map<String, SecurityGroup> securityGroups, Map<String, Instance> instances, Optional<Zone> zone,
                       Map<String, String> records, Optional<TargetGroup> targetGroup, List<Listener> listeners,
                       Optional<LoadBalancer> loadBalancer, Optional<Group> group, Optional<LaunchTemplate> launchTemplate,
                       Optional<String> imageState, Optional<Bucket> bucket, Map<Area, String> unreadable,
                       Map<String, Long> recordTtls, Optional<Map<String, AlarmDefinition>> alarms,
                       Optional<DeploymentGroupView> deploymentGroup, boolean deploymentGroupRead) {

    /** Without the deployment group (not read): the CodeDeploy rule then checks nothing. */
    public Snapshot(Map<String, SecurityGroup> securityGroups, Map<String, Instance> instances, Optional<Zone> zone,
                    Map<String, String> records, Optional<TargetGroup> targetGroup, List<Listener> listeners,
                    Optional<LoadBalancer> loadBalancer, Optional<Group> group, Optional<LaunchTemplate> launchTemplate,
                    Optional<String> imageState, Optional<Bucket> bucket, Map<Area, String> unreadable,
                    Map<String, Long> recordTtls, Optional<Map<String, AlarmDefinition>> alarms) {
        this(securityGroups, instances, zone, records, targetGroup, listeners, loadBalancer, group, launchTemplate, imageState,
                bucket, unreadable, recordTtls, alarms, Optional.empty(), false);
    }

    /** This snapshot with the deployment group as read. */
    public Snapshot withDeploymentGroup(Optional<DeploymentGroupView> found) {
        return new Snapshot(securityGroups, instances, zone, records, targetGroup, listeners, loadBalancer, group, launchTemplate,
                imageState, bucket, unreadable, recordTtls, alarms, found, true);
    }

    public Snapshot {
        alarms = alarms.map(Map::copyOf);
        securityGroups = Map.copyOf(securityGroups);
        instances = Map.copyOf(instances);
        records = Map.copyOf(records);
        recordTtls = Map.copyOf(recordTtls);
        listeners = List.copyOf(listeners);
        unreadable = unreadable.isEmpty() ? Map.of() : new EnumMap<>(unreadable);
    }

    /** Without alarms (not read): the alarm rule then checks nothing. */
    public Snapshot(Map<String, SecurityGroup> securityGroups, Map<String, Instance> instances, Optional<Zone> zone,
                    Map<String, String> records, Optional<TargetGroup> targetGroup, List<Listener> listeners,
                    Optional<LoadBalancer> loadBalancer, Optional<Group> group, Optional<LaunchTemplate> launchTemplate,
                    Optional<String> imageState, Optional<Bucket> bucket, Map<Area, String> unreadable,
                    Map<String, Long> recordTtls) {
        this(securityGroups, instances, zone, records, targetGroup, listeners, loadBalancer, group, launchTemplate, imageState,
                bucket, unreadable, recordTtls, Optional.empty());
    }

    /** Without record TTLs (not read): the TTL rule then checks nothing. */
    public Snapshot(Map<String, SecurityGroup> securityGroups, Map<String, Instance> instances, Optional<Zone> zone,
                    Map<String, String> records, Optional<TargetGroup> targetGroup, List<Listener> listeners,
                    Optional<LoadBalancer> loadBalancer, Optional<Group> group, Optional<LaunchTemplate> launchTemplate,
                    Optional<String> imageState, Optional<Bucket> bucket, Map<Area, String> unreadable) {
        this(securityGroups, instances, zone, records, targetGroup, listeners, loadBalancer, group, launchTemplate, imageState,
                bucket, unreadable, Map.of());
    }

    public boolean readable(Area area) {
        return !unreadable.containsKey(area);
    }

    /** A security group by id, with all its rules (ingress and egress). */
    public record SecurityGroup(String groupId, String name, List<SgRule> rules) {
        public SecurityGroup {
            rules = List.copyOf(rules);
        }
    }

    /** An instance of the environment; {@code component} is its {@code pipeline:component} tag. */
    public record Instance(String instanceId, String component, String state, String instanceType, String httpTokens,
                           String privateIp, String imageId) {}

    /** The private hosted zone and the VPCs it is associated with. */
    public record Zone(String zoneId, String name, List<String> vpcIds) {
        public Zone {
            vpcIds = List.copyOf(vpcIds);
        }
    }

    public record TargetGroup(String arn, String protocol, int port, HealthCheckSettings healthCheck,
                              Map<String, String> attributes) {
        public TargetGroup {
            attributes = Map.copyOf(attributes);
        }
    }

    /** A listener; {@code targetGroupArns} are where its default action forwards. */
    public record Listener(String arn, int port, String protocol, String actionType, List<String> targetGroupArns) {
        public Listener {
            targetGroupArns = List.copyOf(targetGroupArns);
        }
    }

    public record LoadBalancer(String arn, List<String> securityGroups) {
        public LoadBalancer {
            securityGroups = List.copyOf(securityGroups);
        }
    }

    /** The Auto Scaling group; {@code instanceImages} maps each member instance to the image it runs. */
    public record Group(String name, int min, int desired, int max, List<String> targetGroupArns, String healthCheckType,
                        String launchTemplateId, String launchTemplateVersion, Map<String, String> instanceImages) {
        public Group {
            targetGroupArns = List.copyOf(targetGroupArns);
            instanceImages = Map.copyOf(instanceImages);
        }
    }

    /** The launch template's default version, as far as drift cares. */
    public record LaunchTemplate(String id, long defaultVersion, String imageId, String httpTokens, boolean allVolumesEncrypted,
                                 int volumes) {}

    /** The artifact bucket's guard rails. */
    public record Bucket(String name, String versioning, String encryption, boolean publicAccessBlocked) {}
}
