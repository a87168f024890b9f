package dev.pipeline.local.refresh;

import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fills moto's instance refresh gap: answers Start/Describe/Cancel/RollbackInstanceRefresh (moto 5.2.1 gives
 * HTTP 500 "not implemented") and runs each refresh on a virtual thread over moto's terminate-and-replace.
 * New instances must pass their load balancer health checks ({@link InstanceHealth}, the local load balancer's).
 * One active refresh per group; records are keyed by InstanceRefreshId and forgotten on reset.
 */
public final class InstanceRefreshInterceptor implements Interceptor {
    private static final Logger LOG = Logger.getLogger(InstanceRefreshInterceptor.class.getName());
    private static final Duration WORKER_STOP_TIMEOUT = Duration.ofSeconds(5);

    private final MotoAutoScaling moto;
    private final HealthModel health;
    private volatile InstanceHealth instanceHealth;
    /** Insertion order = start order; guarded by {@code this}. */
    private final Map<String, InstanceRefreshRecord> refreshes = new LinkedHashMap<>();
    private final Map<String, Thread> workers = new ConcurrentHashMap<>();

    /** @param motoEndpoint moto's own endpoint: the refresh workers call moto directly, not through the gateway */
    public InstanceRefreshInterceptor(URI motoEndpoint) {
        this(motoEndpoint, new dev.pipeline.local.clock.LocalClock(1));
    }

    /** Warm-ups and checkpoint delays wait on {@code clock} (AWS time, scaled). */
    public InstanceRefreshInterceptor(URI motoEndpoint, dev.pipeline.local.clock.LocalClock clock) {
        this.moto = new MotoAutoScaling(motoEndpoint);
        this.health = new HealthModel(moto::artifactOf);
        this.clock = clock;
        this.instanceHealth = (id, image) -> health.isUnhealthy(image)
                ? new InstanceHealth.Verdict(InstanceHealth.Kind.UNHEALTHY, "its load balancer target health is unhealthy (Target.FailedHealthChecks)")
                : InstanceHealth.Verdict.HEALTHY;
    }

    private final dev.pipeline.local.clock.LocalClock clock;

    /** The hand-kept health model (used while no instance model serves instances). */
    public HealthModel health() { return health; }

    /** What refreshes wait on from now on: the local load balancer's health checks. */
    public void instanceHealth(InstanceHealth h) { this.instanceHealth = h; }

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder forwarder) throws Exception {
        try {
            if ("autoscaling".equals(request.service())) {
                return switch (request.operation()) {
                    case "StartInstanceRefresh" -> start(request.formParams());
                    case "DescribeInstanceRefreshes" -> describe(request.formParams());
                    case "CancelInstanceRefresh" -> cancel(request.formParams());
                    case "RollbackInstanceRefresh" -> rollback(request.formParams());
                    default -> null;
                };
            }
            return null;
        } catch (RefreshApiException e) {
            return AwsErrors.error(request, 400, e.code(), e.getMessage());
        }
    }

    private GatewayResponse start(Map<String, String> p) {
        String name = required(p, "AutoScalingGroupName");
        String strategy = p.get("Strategy");
        if (strategy != null && !strategy.equals("Rolling")) {
            throw RefreshApiException.validation("The local cloud supports only the Rolling instance refresh strategy, not " + strategy + ".");
        }
        if (p.keySet().stream().anyMatch(k -> k.startsWith("DesiredConfiguration.MixedInstancesPolicy."))) {
            throw RefreshApiException.validation("The local cloud does not support a MixedInstancesPolicy in DesiredConfiguration; use LaunchTemplate.");
        }
        LaunchTemplateSpec desired = LaunchTemplateSpec.fromForm(p, "DesiredConfiguration.LaunchTemplate.");
        RefreshPreferences prefs = RefreshPreferences.fromForm(p);

        MotoAutoScaling.Group group = moto.group(name);
        if (group == null) throw RefreshApiException.validation("AutoScalingGroup name not found - " + name);
        if (desired != null && (group.launchTemplate() == null || group.mixedInstancesPolicy())) {
            throw RefreshApiException.validation("The local cloud supports a DesiredConfiguration only for groups that use a launch template"
                    + " (not a launch configuration or a MixedInstancesPolicy).");
        }
        if (desired != null) moto.imageOf(desired); // refuses a template or version that does not exist
        if (prefs.autoRollbackOn()) {
            if (desired == null) {
                // AWS's wording, as reported from real calls (terraform-provider-aws issue 29830)
                throw RefreshApiException.validation("The request isn't valid. The AutoRollback parameter cannot be set to true"
                        + " when the DesiredConfiguration parameter is empty. Set AutoRollback to false or specify a desired"
                        + " configuration and try again.");
            }
            if (group.launchTemplate() == null || group.launchTemplate().floatingVersion() || desired.floatingVersion()) {
                // documented: no rollback when the group uses $Latest or $Default; the message is ours, not AWS's
                throw RefreshApiException.validation("The request isn't valid. AutoRollback is not supported when the Auto Scaling"
                        + " group or the desired configuration uses the $Latest or $Default launch template version."
                        + " Specify a launch template version number and try again.");
            }
        }
        InstanceRefreshRecord record;
        synchronized (this) {
            if (activeRefresh(name) != null) {
                // the code is AWS's (InstanceRefreshInProgressFault); the message is not confirmed
                throw new RefreshApiException("InstanceRefreshInProgress",
                        "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.");
            }
            record = new InstanceRefreshRecord(UUID.randomUUID().toString(), name, prefs, desired, group.launchTemplate());
            refreshes.put(record.id, record);
            Thread worker = Thread.ofVirtual().name("instance-refresh-" + record.id).unstarted(() -> {
                try {
                    new RefreshWorker(record, moto, instanceHealth, clock).run();
                } finally {
                    workers.remove(record.id);
                }
            });
            workers.put(record.id, worker);
            worker.start();
        }
        return RefreshXml.response("StartInstanceRefresh", "<InstanceRefreshId>" + record.id + "</InstanceRefreshId>");
    }

    private GatewayResponse describe(Map<String, String> p) {
        String name = required(p, "AutoScalingGroupName");
        Set<String> ids = new HashSet<>();
        for (int i = 1; p.containsKey("InstanceRefreshIds.member." + i); i++) ids.add(p.get("InstanceRefreshIds.member." + i));
        int max = intParam(p, "MaxRecords", 50);
        if (max < 1 || max > 100) throw RefreshApiException.validation("MaxRecords must be between 1 and 100.");
        int offset = intParam(p, "NextToken", 0);
        List<InstanceRefreshRecord> matching = new ArrayList<>();
        synchronized (this) {
            for (InstanceRefreshRecord r : refreshes.values()) {
                if (r.groupName.equals(name) && (ids.isEmpty() || ids.contains(r.id))) matching.add(r);
            }
        }
        // newest first (not stated in the API reference; not confirmed)
        java.util.Collections.reverse(matching);
        StringBuilder sb = new StringBuilder("<InstanceRefreshes>");
        int end = Math.min(matching.size(), offset + max);
        for (int i = Math.max(0, offset); i < end; i++) sb.append(matching.get(i).xml());
        sb.append("</InstanceRefreshes>");
        if (end < matching.size()) RefreshXml.element(sb, "NextToken", end);
        return RefreshXml.response("DescribeInstanceRefreshes", sb.toString());
    }

    private GatewayResponse cancel(Map<String, String> p) {
        String name = required(p, "AutoScalingGroupName");
        InstanceRefreshRecord r;
        synchronized (this) {
            r = activeRefresh(name);
        }
        if (r == null || !r.requestCancel()) throw noActiveRefresh(name);
        return RefreshXml.response("CancelInstanceRefresh", "<InstanceRefreshId>" + r.id + "</InstanceRefreshId>");
    }

    private GatewayResponse rollback(Map<String, String> p) {
        String name = required(p, "AutoScalingGroupName");
        InstanceRefreshRecord r;
        synchronized (this) {
            r = activeRefresh(name);
        }
        // a refresh already rolling back or being cancelled has nothing left to roll back (not confirmed against AWS)
        if (r == null || r.status() == RefreshStatus.Cancelling || r.status() == RefreshStatus.RollbackInProgress) {
            throw noActiveRefresh(name);
        }
        if (!r.reversible()) {
            // the documented meaning of IrreversibleInstanceRefreshFault
            throw new RefreshApiException("IrreversibleInstanceRefresh", "The request failed because a desired configuration was"
                    + " not found or an incompatible launch template version ($Latest or $Default) is present on the Auto Scaling group.");
        }
        if (!r.requestRollback()) throw noActiveRefresh(name);
        return RefreshXml.response("RollbackInstanceRefresh", "<InstanceRefreshId>" + r.id + "</InstanceRefreshId>");
    }

    /** Caller holds the lock. */
    private InstanceRefreshRecord activeRefresh(String group) {
        for (InstanceRefreshRecord r : refreshes.values()) if (r.groupName.equals(group) && r.active()) return r;
        return null;
    }

    private static RefreshApiException noActiveRefresh(String group) {
        // the code is documented for both Cancel and Rollback; the message is ours
        return new RefreshApiException("ActiveInstanceRefreshNotFound",
                "No in progress or pending Instance Refresh found for Auto Scaling group " + group);
    }

    private static String required(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null || v.isBlank()) throw RefreshApiException.validation("1 validation error detected: Value null at '" + key + "' failed to satisfy constraint: Member must not be null");
        return v;
    }

    private static int intParam(Map<String, String> p, String key, int dflt) {
        String v = p.get(key);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw RefreshApiException.validation("Invalid value for " + key + ": " + v);
        }
    }

    /** Stops every refresh worker (they must not touch the next test's groups) and forgets all records and health marks. */
    @Override
    public void reset() {
        synchronized (this) {
            refreshes.clear();
        }
        List<Thread> running = new ArrayList<>(workers.values());
        running.forEach(Thread::interrupt);
        for (Thread t : running) {
            try {
                if (!t.join(WORKER_STOP_TIMEOUT)) LOG.warning("instance refresh worker " + t.getName() + " did not stop within " + WORKER_STOP_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.log(Level.FINE, "interrupted while stopping refresh workers", e);
                break;
            }
        }
        workers.clear();
        health.clear();
    }
}
