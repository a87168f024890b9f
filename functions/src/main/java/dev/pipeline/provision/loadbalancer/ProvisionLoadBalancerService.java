package dev.pipeline.provision.loadbalancer;

import dev.pipeline.functions.RetryableException;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.Ownership;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.provision.alarms.AlarmDefinition;
import dev.pipeline.provision.alarms.AlarmGateway;
import dev.pipeline.provision.alarms.EnvironmentAlarms;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ProvisionLoadBalancer: the target group (HTTP:8080, sticky), the internet-facing ALB in the public subnets, its
 * listeners, and the environment's two CloudWatch alarms on them ({@link EnvironmentAlarms}). Identity is the name ({@code <env>-tg}, {@code <env>-alb}, unique per account and region in ELB)
 * plus our environment tag; everything found is converged to the spec, so a re-run creates nothing and a drifted
 * setting comes back.
 */
public class ProvisionLoadBalancerService {

    static final String TG_COMPONENT = EnvironmentSpec.TARGET_GROUP_COMPONENT;
    static final String ALB_COMPONENT = EnvironmentSpec.LOAD_BALANCER_COMPONENT;
    /** Requests with header names that are not valid HTTP are dropped at the ALB, not passed to Tomcat (request smuggling). */
    static final Map<String, String> ALB_ATTRIBUTES = Map.of("routing.http.drop_invalid_header_fields.enabled", "true");

    static final String ALARM_COMPONENT = "alarm";

    private final LoadBalancerGateway elb;
    private final AlarmGateway alarms;

    public ProvisionLoadBalancerService(LoadBalancerGateway elb, AlarmGateway alarms) {
        this.elb = elb;
        this.alarms = alarms;
    }

    public ProvisionLoadBalancerOutput provision(ProvisionLoadBalancerInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        String albGroup = StageInputs.require(input.securityGroups() == null ? null : input.securityGroups().albGroupId(),
                "$.securityGroups.albGroupId", "ProvisionSecurityGroups");
        List<String> changes = new ArrayList<>();

        String tgArn = targetGroup(spec, changes);
        LoadBalancerView lb = loadBalancer(spec, albGroup, changes);
        List<String> listenerArns = listeners(spec, lb.arn(), tgArn, changes);
        List<String> alarmNames = alarms(spec, lb.arn(), tgArn, changes);

        // Described again for the state: a new ALB is "provisioning" for a few minutes on AWS.
        LoadBalancerView now = elb.loadBalancer(lb.arn()).orElse(lb);
        return new ProvisionLoadBalancerOutput(tgArn, now.arn(), now.dnsName(), listenerArns, alarmNames, now.active(), changes);
    }

    private String targetGroup(EnvironmentSpec spec, List<String> changes) {
        String name = spec.targetGroupName();
        Map<String, String> tags = Ownership.tags(spec, TG_COMPONENT, name);
        HealthCheckSettings hc = HealthCheckSettings.of(spec.loadBalancer().healthCheck());
        Map<String, String> attributes = TargetGroupSettings.attributes(spec.loadBalancer());

        var found = elb.findTargetGroup(name);
        if (found.isEmpty()) {
            String arn = elb.createTargetGroup(name, spec.network().vpcId(), hc, tags);
            // Attributes cannot be passed to CreateTargetGroup; until this call the group is not sticky.
            elb.modifyTargetGroupAttributes(arn, attributes);
            changes.add("created target group " + name + " (HTTP:" + TargetGroupSettings.PORT + ", sticky)");
            return arn;
        }
        TargetGroupView tg = found.get();
        Ownership.requireOurs(spec, "target group", name, tg.tags());
        TargetGroupSettings.conflict(tg, spec.network().vpcId()).ifPresent(why -> {
            throw new StageFailedException(why);
        });
        if (!hc.equals(tg.healthCheck())) {
            elb.modifyHealthCheck(tg.arn(), hc);
            changes.add("target group " + name + ": " + hc.describe() + " (was " + tg.healthCheck().describe() + ")");
        }
        Map<String, String> drift = Ownership.missing(attributes, tg.attributes());
        if (!drift.isEmpty()) {
            elb.modifyTargetGroupAttributes(tg.arn(), drift);
            changes.add("target group " + name + ": set " + drift);
        }
        tagIfNeeded(tg.arn(), name, tags, tg.tags(), changes);
        return tg.arn();
    }

    private LoadBalancerView loadBalancer(EnvironmentSpec spec, String albGroup, List<String> changes) {
        String name = spec.loadBalancerName();
        Map<String, String> tags = Ownership.tags(spec, ALB_COMPONENT, name);
        var found = elb.findLoadBalancer(name);
        LoadBalancerView lb;
        if (found.isEmpty()) {
            String arn = elb.createLoadBalancer(name, spec.network().publicSubnets(), List.of(albGroup), tags);
            changes.add("created load balancer " + name);
            lb = elb.loadBalancer(arn).orElseThrow(() -> new RetryableException(
                    "load balancer " + name + " was created but is not described yet"));
        } else {
            lb = found.get();
            Ownership.requireOurs(spec, "load balancer", name, lb.tags());
            if (!"application".equals(lb.type()) || !"internet-facing".equals(lb.scheme())) {
                throw new StageFailedException("load balancer " + name + " is an " + lb.scheme() + " " + lb.type()
                        + " load balancer; the site needs an internet-facing application load balancer, and ELB cannot "
                        + "change either in place: delete it and run provisioning again");
            }
            if (!spec.network().vpcId().equals(lb.vpcId())) {
                throw new StageFailedException("load balancer " + name + " is in " + lb.vpcId()
                        + ", not in the spec's VPC " + spec.network().vpcId());
            }
            if (!List.of(albGroup).equals(lb.securityGroups())) {
                elb.setSecurityGroups(lb.arn(), List.of(albGroup));
                changes.add("load balancer " + name + ": security groups " + lb.securityGroups() + " -> [" + albGroup + "]");
            }
            tagIfNeeded(lb.arn(), name, tags, lb.tags(), changes);
        }
        Map<String, String> drift = Ownership.missing(ALB_ATTRIBUTES, elb.loadBalancerAttributes(lb.arn()));
        if (!drift.isEmpty()) {
            elb.modifyLoadBalancerAttributes(lb.arn(), drift);
            if (found.isPresent()) changes.add("load balancer " + name + ": set " + drift);
        }
        return lb;
    }

    private List<String> listeners(EnvironmentSpec spec, String lbArn, String tgArn, List<String> changes) {
        Map<String, String> tags = Ownership.tags(spec, ALB_COMPONENT, spec.loadBalancerName());
        List<ListenerView> actual = elb.listeners(lbArn);
        ListenerPlan plan = ListenerPlan.of(ListenerSpec.desired(spec.loadBalancer(), tgArn), actual);
        for (ListenerSpec l : plan.create()) {
            elb.createListener(lbArn, l, tags);
            changes.add("created listener " + l.describe());
        }
        for (ListenerPlan.Change c : plan.modify()) {
            elb.modifyListener(c.current().arn(), c.desired());
            changes.add("listener " + c.desired().describe() + " (was " + c.current().spec().describe() + ")");
        }
        for (ListenerView l : plan.delete()) {
            elb.deleteListener(l.arn());
            changes.add("deleted listener " + l.spec().describe() + " (the spec no longer serves port " + l.spec().port() + ")");
        }
        List<ListenerView> now = plan.isEmpty() ? actual : elb.listeners(lbArn);
        for (ListenerView l : now) {
            tagIfNeeded(l.arn(), "listener " + l.spec().port(), tags, elb.tags(l.arn()), changes);
        }
        return now.stream().map(ListenerView::arn).toList();
    }

    /**
     * The alarms every release's refresh watches: created when missing, rewritten when they differ from the spec (a
     * changed threshold, or dimensions of a load balancer that was replaced), left alone when they match. One of the
     * same name without our tag is someone else's: the stage fails rather than overwrite it.
     */
    private List<String> alarms(EnvironmentSpec spec, String lbArn, String tgArn, List<String> changes) {
        List<AlarmDefinition> desired = EnvironmentAlarms.of(spec, lbArn, tgArn);
        Map<String, AlarmGateway.AlarmView> found = alarms.find(desired.stream().map(AlarmDefinition::name).toList());
        for (AlarmDefinition d : desired) {
            AlarmGateway.AlarmView actual = found.get(d.name());
            if (actual == null) {
                alarms.put(d, Ownership.tags(spec, ALARM_COMPONENT, d.name()));
                changes.add("created alarm " + d.name());
                continue;
            }
            Ownership.requireOurs(spec, "CloudWatch alarm", d.name(), alarms.tags(actual.arn()));
            String differences = d.differences(actual.definition());
            if (!differences.isEmpty()) {
                alarms.put(d, Map.of());
                changes.add("alarm " + d.name() + ": " + differences);
            }
        }
        return desired.stream().map(AlarmDefinition::name).toList();
    }

    private void tagIfNeeded(String arn, String what, Map<String, String> desired, Map<String, String> actual,
                             List<String> changes) {
        Map<String, String> missing = Ownership.missing(desired, actual);
        if (!missing.isEmpty()) {
            elb.addTags(arn, missing);
            changes.add(what + ": tagged " + missing);
        }
    }
}
