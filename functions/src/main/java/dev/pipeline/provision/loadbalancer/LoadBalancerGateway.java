package dev.pipeline.provision.loadbalancer;

import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ResourceInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Elastic Load Balancing v2 for the stages: target groups, application load balancers, listeners, target health.
 * The only class of these stages that imports ELB SDK types. Deletes treat NotFound as done.
 */
public class LoadBalancerGateway {

    /** What a delete found. */
    public enum Deleted { DELETED, NOT_FOUND, IN_USE }

    private final ElasticLoadBalancingV2Client elb;

    public LoadBalancerGateway(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    // ------------------------------------------------------------------ target groups

    public Optional<TargetGroupView> findTargetGroup(String name) {
        try {
            return elb.describeTargetGroups(b -> b.names(name)).targetGroups().stream().findFirst().map(this::view);
        } catch (TargetGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    public Optional<TargetGroupView> targetGroup(String arn) {
        try {
            return elb.describeTargetGroups(b -> b.targetGroupArns(arn)).targetGroups().stream().findFirst().map(this::view);
        } catch (TargetGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    public String createTargetGroup(String name, String vpcId, HealthCheckSettings hc, Map<String, String> tags) {
        return elb.createTargetGroup(b -> b.name(name).vpcId(vpcId)
                        .protocol(TargetGroupSettings.PROTOCOL).port(TargetGroupSettings.PORT)
                        .targetType(TargetGroupSettings.TARGET_TYPE)
                        .healthCheckEnabled(true)
                        .healthCheckProtocol(hc.protocol()).healthCheckPort(hc.port()).healthCheckPath(hc.path())
                        .healthCheckIntervalSeconds(hc.intervalSeconds()).healthCheckTimeoutSeconds(hc.timeoutSeconds())
                        .healthyThresholdCount(hc.healthyThreshold()).unhealthyThresholdCount(hc.unhealthyThreshold())
                        .matcher(m -> m.httpCode(hc.matcher()))
                        .tags(tags(tags)))
                .targetGroups().getFirst().targetGroupArn();
    }

    public void modifyHealthCheck(String arn, HealthCheckSettings hc) {
        elb.modifyTargetGroup(b -> b.targetGroupArn(arn).healthCheckEnabled(true)
                .healthCheckProtocol(hc.protocol()).healthCheckPort(hc.port()).healthCheckPath(hc.path())
                .healthCheckIntervalSeconds(hc.intervalSeconds()).healthCheckTimeoutSeconds(hc.timeoutSeconds())
                .healthyThresholdCount(hc.healthyThreshold()).unhealthyThresholdCount(hc.unhealthyThreshold())
                .matcher(m -> m.httpCode(hc.matcher())));
    }

    public void modifyTargetGroupAttributes(String arn, Map<String, String> attributes) {
        elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(attributes.entrySet().stream()
                .map(e -> TargetGroupAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
    }

    public Deleted deleteTargetGroup(String arn) {
        try {
            elb.deleteTargetGroup(b -> b.targetGroupArn(arn));
            return Deleted.DELETED;
        } catch (TargetGroupNotFoundException e) {
            return Deleted.NOT_FOUND;
        } catch (ResourceInUseException e) {
            // A listener or rule still forwards to it; on AWS also while its load balancer is being deleted.
            return Deleted.IN_USE;
        }
    }

    /** Registered targets and their health, by instance id. */
    public Map<String, TargetHealth> targetHealth(String targetGroupArn) {
        Map<String, TargetHealth> out = new LinkedHashMap<>();
        for (TargetHealthDescription d : elb.describeTargetHealth(b -> b.targetGroupArn(targetGroupArn)).targetHealthDescriptions()) {
            TargetDescription t = d.target();
            out.put(t.id(), new TargetHealth(t.id(), d.targetHealth().stateAsString(),
                    d.targetHealth().reasonAsString(), d.targetHealth().description()));
        }
        return out;
    }

    private TargetGroupView view(TargetGroup tg) {
        HealthCheckSettings hc = new HealthCheckSettings(tg.healthCheckProtocolAsString(), tg.healthCheckPort(),
                tg.healthCheckPath(), nz(tg.healthCheckIntervalSeconds()), nz(tg.healthCheckTimeoutSeconds()),
                nz(tg.healthyThresholdCount()), nz(tg.unhealthyThresholdCount()),
                tg.matcher() == null ? null : tg.matcher().httpCode());
        Map<String, String> attributes = new LinkedHashMap<>();
        elb.describeTargetGroupAttributes(b -> b.targetGroupArn(tg.targetGroupArn())).attributes()
                .forEach(a -> attributes.put(a.key(), a.value()));
        return new TargetGroupView(tg.targetGroupArn(), tg.targetGroupName(), tg.protocolAsString(), nz(tg.port()),
                tg.vpcId(), tg.targetTypeAsString(), hc, attributes, tags(tg.targetGroupArn()), tg.loadBalancerArns());
    }

    // ------------------------------------------------------------------ load balancers

    public Optional<LoadBalancerView> findLoadBalancer(String name) {
        try {
            return elb.describeLoadBalancers(b -> b.names(name)).loadBalancers().stream().findFirst().map(this::view);
        } catch (LoadBalancerNotFoundException e) {
            return Optional.empty();
        }
    }

    public Optional<LoadBalancerView> loadBalancer(String arn) {
        try {
            return elb.describeLoadBalancers(b -> b.loadBalancerArns(arn)).loadBalancers().stream().findFirst().map(this::view);
        } catch (LoadBalancerNotFoundException e) {
            return Optional.empty();
        }
    }

    public String createLoadBalancer(String name, List<String> subnets, List<String> securityGroups, Map<String, String> tags) {
        return elb.createLoadBalancer(b -> b.name(name).type("application").scheme("internet-facing")
                        .ipAddressType("ipv4").subnets(subnets).securityGroups(securityGroups).tags(tags(tags)))
                .loadBalancers().getFirst().loadBalancerArn();
    }

    public Map<String, String> loadBalancerAttributes(String arn) {
        Map<String, String> out = new LinkedHashMap<>();
        elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(arn)).attributes().forEach(a -> out.put(a.key(), a.value()));
        return out;
    }

    public void modifyLoadBalancerAttributes(String arn, Map<String, String> attributes) {
        elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(arn).attributes(attributes.entrySet().stream()
                .map(e -> LoadBalancerAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
    }

    public void setSecurityGroups(String arn, List<String> securityGroups) {
        elb.setSecurityGroups(b -> b.loadBalancerArn(arn).securityGroups(securityGroups));
    }

    /** True when it was there to delete. AWS deletes the listeners with it. */
    public boolean deleteLoadBalancer(String arn) {
        try {
            elb.deleteLoadBalancer(b -> b.loadBalancerArn(arn));
            return true;
        } catch (LoadBalancerNotFoundException e) {
            return false;
        }
    }

    private LoadBalancerView view(LoadBalancer lb) {
        return new LoadBalancerView(lb.loadBalancerArn(), lb.loadBalancerName(), lb.dnsName(),
                lb.state() == null ? null : lb.state().codeAsString(), lb.schemeAsString(), lb.typeAsString(),
                lb.vpcId(), lb.securityGroups(), tags(lb.loadBalancerArn()));
    }

    // ------------------------------------------------------------------ listeners

    /** The load balancer's listeners by ascending port; empty when the load balancer is gone. */
    public List<ListenerView> listeners(String loadBalancerArn) {
        try {
            return elb.describeListenersPaginator(b -> b.loadBalancerArn(loadBalancerArn)).listeners().stream()
                    .map(LoadBalancerGateway::view)
                    .sorted(Comparator.comparingInt(l -> l.spec().port()))
                    .toList();
        } catch (LoadBalancerNotFoundException e) {
            return List.of();
        }
    }

    public String createListener(String loadBalancerArn, ListenerSpec spec, Map<String, String> tags) {
        return elb.createListener(b -> {
            b.loadBalancerArn(loadBalancerArn).port(spec.port()).protocol(spec.protocol())
                    .defaultActions(action(spec.action())).tags(tags(tags));
            if (spec.https()) {
                b.sslPolicy(spec.sslPolicy()).certificates(Certificate.builder().certificateArn(spec.certificateArn()).build());
            }
        }).listeners().getFirst().listenerArn();
    }

    public void modifyListener(String listenerArn, ListenerSpec spec) {
        elb.modifyListener(b -> {
            b.listenerArn(listenerArn).port(spec.port()).protocol(spec.protocol()).defaultActions(action(spec.action()));
            if (spec.https()) {
                b.sslPolicy(spec.sslPolicy()).certificates(Certificate.builder().certificateArn(spec.certificateArn()).build());
            }
        });
    }

    /** True when it was there to delete. */
    public boolean deleteListener(String listenerArn) {
        try {
            elb.deleteListener(b -> b.listenerArn(listenerArn));
            return true;
        } catch (ListenerNotFoundException e) {
            return false;
        }
    }

    private static ListenerView view(Listener l) {
        ListenerAction action = l.defaultActions().isEmpty() ? new ListenerAction.Other("none")
                : action(l.defaultActions().getFirst());
        if (l.defaultActions().size() > 1) action = new ListenerAction.Other("several actions");
        String cert = l.certificates().isEmpty() ? null : l.certificates().getFirst().certificateArn();
        return new ListenerView(l.listenerArn(),
                new ListenerSpec(nz(l.port()), l.protocolAsString(), l.sslPolicy(), cert, action));
    }

    private static ListenerAction action(Action a) {
        if (a.type() == ActionTypeEnum.FORWARD) {
            // AWS describes a plain forward both as TargetGroupArn and as a one-group ForwardConfig.
            if (a.targetGroupArn() != null) return new ListenerAction.Forward(a.targetGroupArn());
            if (a.forwardConfig() != null && a.forwardConfig().targetGroups().size() == 1) {
                return new ListenerAction.Forward(a.forwardConfig().targetGroups().getFirst().targetGroupArn());
            }
            return new ListenerAction.Other("weighted forward");
        }
        if (a.type() == ActionTypeEnum.REDIRECT && a.redirectConfig() != null) {
            RedirectActionConfig r = a.redirectConfig();
            return new ListenerAction.Redirect(r.protocol(), r.port(), r.host(), r.path(), r.query(), r.statusCodeAsString());
        }
        return new ListenerAction.Other(a.typeAsString());
    }

    private static Action action(ListenerAction a) {
        return switch (a) {
            case ListenerAction.Forward f -> Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(f.targetGroupArn()).build();
            case ListenerAction.Redirect r -> Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(c -> c
                    .protocol(r.protocol()).port(r.port()).host(r.host()).path(r.path()).query(r.query())
                    .statusCode(r.statusCode())).build();
            case ListenerAction.Other o -> throw new IllegalArgumentException("the pipeline does not create " + o.type() + " actions");
        };
    }

    // ------------------------------------------------------------------ tags

    public Map<String, String> tags(String arn) {
        Map<String, String> out = new LinkedHashMap<>();
        elb.describeTags(b -> b.resourceArns(arn)).tagDescriptions()
                .forEach(d -> d.tags().forEach(t -> out.put(t.key(), t.value())));
        return out;
    }

    public void addTags(String arn, Map<String, String> tags) {
        elb.addTags(b -> b.resourceArns(arn).tags(tags(tags)));
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
