package dev.pipeline.local.codedeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the local CodeDeploy keeps: applications, deployment groups, configurations, deployments and their targets. */
final class Model {
    private Model() {}

    record Application(String name, String id, Instant created) {}

    static final class Group {
        final String application;
        final String id;
        volatile String name;
        volatile ObjectNode spec; // the CreateDeploymentGroup/UpdateDeploymentGroup body as given (names as the API's)
        volatile String lastSuccessfulDeploymentId;
        volatile String lastAttemptedDeploymentId;
        /** Instances this group has already deployed to or seen in its Auto Scaling groups (launches are the others). */
        final java.util.Set<String> seenInstances = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Group(String application, String id, String name, ObjectNode spec) {
            this.application = application;
            this.id = id;
            this.name = name;
            this.spec = spec;
        }

        String configName() {
            String c = spec.path("deploymentConfigName").asText("");
            return c.isEmpty() ? DeploymentConfig.DEFAULT : c;
        }

        List<String> autoScalingGroups() {
            List<String> out = new ArrayList<>();
            spec.path("autoScalingGroups").forEach(n -> out.add(n.asText()));
            return out;
        }

        List<String> targetGroupNames() {
            List<String> out = new ArrayList<>();
            spec.path("loadBalancerInfo").path("targetGroupInfoList").forEach(n -> out.add(n.path("name").asText()));
            return out;
        }

        boolean trafficControl() {
            return "WITH_TRAFFIC_CONTROL".equals(spec.path("deploymentStyle").path("deploymentOption").asText())
                    && !targetGroupNames().isEmpty();
        }

        boolean autoRollbackOn(String event) {
            JsonNode a = spec.path("autoRollbackConfiguration");
            if (!a.path("enabled").asBoolean(false)) return false;
            for (JsonNode e : a.path("events")) if (event.equals(e.asText())) return true;
            return false;
        }
    }

    static final class Event {
        final String name;
        volatile String status = "Pending";
        volatile Instant start;
        volatile Instant end;
        volatile ObjectNode diagnostics;

        Event(String name) { this.name = name; }
    }

    static final class Target {
        final String instanceId;
        volatile String status = "Pending";
        volatile Instant lastUpdated;
        final List<Event> events;

        Target(String instanceId, List<String> eventNames, Instant now) {
            this.instanceId = instanceId;
            this.lastUpdated = now;
            List<Event> e = new ArrayList<>();
            for (String n : eventNames) e.add(new Event(n));
            this.events = List.copyOf(e);
        }
    }

    static final class Deployment {
        final String id;
        final String application;
        final String groupName;
        final String groupId;
        final String configName;
        final String creator;
        final String description;
        final JsonNode revision;
        final JsonNode previousRevision;
        final Instant created;
        final ObjectNode groupSpec;
        volatile String status = "Created";
        volatile Instant started;
        volatile Instant completed;
        volatile String errorCode;
        volatile String errorMessage;
        volatile ObjectNode rollbackInfo;
        volatile boolean stopRequested;
        volatile String stopMessage;
        volatile boolean rollbackOnStop;
        volatile boolean ignoreApplicationStopFailures;
        /** CreateDeployment's overrideAlarmConfiguration, which replaced the group's alarms for this deployment. */
        volatile ObjectNode alarmOverride;
        final Map<String, Target> targets = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        final List<String> statusMessages = new CopyOnWriteArrayList<>();

        Deployment(String id, String application, Group group, String configName, String creator, String description,
                   JsonNode revision, JsonNode previousRevision, Instant created) {
            this.id = id;
            this.application = application;
            this.groupName = group.name;
            this.groupId = group.id;
            this.configName = configName;
            this.creator = creator;
            this.description = description;
            this.revision = revision;
            this.previousRevision = previousRevision;
            this.created = created;
            this.groupSpec = group.spec.deepCopy();
        }

        boolean active() {
            return status.equals("Created") || status.equals("Queued") || status.equals("InProgress") || status.equals("Ready");
        }

        List<Target> targetList() {
            synchronized (targets) { return List.copyOf(targets.values()); }
        }
    }
}
