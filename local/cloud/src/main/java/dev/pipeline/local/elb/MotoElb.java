package dev.pipeline.local.elb;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the local load balancers need from moto, read on moto's own endpoint (not through the gateway, so call
 * counters and fault rules see only what clients do): target groups with their health check settings and
 * stickiness attributes, registered targets, Application Load Balancers with an HTTP listener that forwards,
 * and the state of the instances behind them. Thread-safe; holds two SDK clients.
 */
final class MotoElb implements AutoCloseable {
    private final ElasticLoadBalancingV2Client elb;
    private final Ec2Client ec2;

    /** A target group as the checks and the router need it. Defaults are AWS's for HTTP instance target groups. */
    record Group(String arn, String name, int port, String healthCheckPort, String healthCheckPath, int intervalSeconds,
                 int timeoutSeconds, int healthyThreshold, int unhealthyThreshold, SuccessCodes matcher,
                 boolean stickyLbCookie, long stickySeconds) {}

    /** A target moto lists as registered with a group. */
    record Registration(String targetGroupArn, String id, int port) {}

    /** What DescribeInstances says of one instance. */
    record InstanceFacts(String instanceId, String imageId, String state) {
        boolean gone() { return "terminated".equals(state) || "shutting-down".equals(state); }
        boolean stopped() { return "stopped".equals(state) || "stopping".equals(state); }
    }

    /** An ALB's HTTP listener and the target group its default action forwards to; {@code localPort} once it serves. */
    public record Site(String loadBalancerArn, String loadBalancerName, String dnsName, int listenerPort, String targetGroupArn, int localPort) {
        Site withLocalPort(int p) { return new Site(loadBalancerArn, loadBalancerName, dnsName, listenerPort, targetGroupArn, p); }
    }

    record Snapshot(Map<String, Group> groups, List<Registration> registrations, Map<String, InstanceFacts> instances,
                    Map<String, Site> sites, Set<String> inUse) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), List.of(), Map.of(), Map.of(), Set.of());
    }

    MotoElb(URI motoEndpoint) {
        // moto's own endpoint, the operator's credentials: what the local cloud itself reads is never subject to IAM
        this.elb = dev.pipeline.local.LocalClients.create(ElasticLoadBalancingV2Client.class, motoEndpoint);
        this.ec2 = dev.pipeline.local.LocalClients.create(Ec2Client.class, motoEndpoint);
    }

    Snapshot read() {
        Map<String, Group> groups = new HashMap<>();
        List<Registration> registrations = new ArrayList<>();
        for (TargetGroup tg : elb.describeTargetGroupsPaginator(b -> {}).targetGroups()) {
            Map<String, String> attrs = new HashMap<>();
            for (TargetGroupAttribute a : elb.describeTargetGroupAttributes(b -> b.targetGroupArn(tg.targetGroupArn())).attributes()) {
                attrs.put(a.key(), a.value());
            }
            groups.put(tg.targetGroupArn(), group(tg, attrs));
            int port = tg.port() == null ? 80 : tg.port();
            for (TargetHealthDescription d : elb.describeTargetHealth(b -> b.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions()) {
                registrations.add(new Registration(tg.targetGroupArn(), d.target().id(), d.target().port() == null ? port : d.target().port()));
            }
        }
        Map<String, Site> sites = new HashMap<>();
        Set<String> inUse = new HashSet<>();
        if (!groups.isEmpty()) {
            for (LoadBalancer lb : elb.describeLoadBalancersPaginator(b -> {}).loadBalancers()) {
                if (!"application".equals(lb.typeAsString())) continue;
                List<Listener> listeners = new ArrayList<>(elb.describeListeners(b -> b.loadBalancerArn(lb.loadBalancerArn())).listeners());
                listeners.sort(java.util.Comparator.comparing(l -> l.port() == null ? 0 : l.port()));
                for (Listener l : listeners) {
                    for (Action a : l.defaultActions()) {
                        String tg = forwardTarget(a);
                        if (tg == null) continue;
                        inUse.add(tg);
                        // one local port per load balancer: its first HTTP listener that forwards (HTTPS would need certificates)
                        if ("HTTP".equals(l.protocolAsString()) && !sites.containsKey(lb.loadBalancerArn())) {
                            sites.put(lb.loadBalancerArn(), new Site(lb.loadBalancerArn(), lb.loadBalancerName(), lb.dnsName(),
                                    l.port() == null ? 80 : l.port(), tg, 0));
                        }
                    }
                }
            }
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Registration r : registrations) if (r.id().startsWith("i-")) ids.add(r.id());
        return new Snapshot(Map.copyOf(groups), List.copyOf(registrations), instances(ids), Map.copyOf(sites), Set.copyOf(inUse));
    }

    private static String forwardTarget(Action a) {
        if (!"forward".equals(a.typeAsString())) return null;
        if (a.targetGroupArn() != null) return a.targetGroupArn();
        if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()) {
            return a.forwardConfig().targetGroups().getFirst().targetGroupArn();
        }
        return null;
    }

    private static Group group(TargetGroup tg, Map<String, String> attrs) {
        boolean sticky = "true".equalsIgnoreCase(attrs.get("stickiness.enabled"))
                && "lb_cookie".equals(attrs.getOrDefault("stickiness.type", "lb_cookie"));
        long seconds = parseLong(attrs.get("stickiness.lb_cookie.duration_seconds"), 86_400);
        return new Group(tg.targetGroupArn(), tg.targetGroupName(), tg.port() == null ? 80 : tg.port(),
                tg.healthCheckPort(), tg.healthCheckPath(),
                orDefault(tg.healthCheckIntervalSeconds(), 30), orDefault(tg.healthCheckTimeoutSeconds(), 5),
                orDefault(tg.healthyThresholdCount(), 5), orDefault(tg.unhealthyThresholdCount(), 2),
                SuccessCodes.parse(tg.matcher() == null ? null : tg.matcher().httpCode()), sticky, seconds);
    }

    private static int orDefault(Integer v, int d) { return v == null ? d : v; }

    private static long parseLong(String v, long d) {
        try {
            return v == null ? d : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return d; // moto accepts any value; AWS would have refused it
        }
    }

    /** Image and state per instance; an id moto forgot is left out. */
    Map<String, InstanceFacts> instances(Collection<String> ids) {
        Map<String, InstanceFacts> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        List<String> all = new ArrayList<>(new LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += 200) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 200));
            try {
                ec2.describeInstancesPaginator(b -> b.filters(Filter.builder().name("instance-id").values(chunk).build()))
                        .reservations().forEach(r -> r.instances().forEach(i ->
                                out.put(i.instanceId(), new InstanceFacts(i.instanceId(), i.imageId(), i.state().nameAsString()))));
            } catch (AwsServiceException e) {
                // leave them out: the answer says what moto said
            }
        }
        return out;
    }

    @Override
    public void close() {
        elb.close();
        ec2.close();
    }
}
