package dev.pipeline.provision.verify;

import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.provision.fleet.AutoScalingGateway;
import dev.pipeline.provision.fleet.GroupView;
import dev.pipeline.provision.loadbalancer.ListenerPlan;
import dev.pipeline.provision.loadbalancer.ListenerSpec;
import dev.pipeline.provision.loadbalancer.ListenerView;
import dev.pipeline.provision.loadbalancer.LoadBalancerGateway;
import dev.pipeline.provision.loadbalancer.LoadBalancerView;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * VerifyEnvironment: checks, without changing anything, what a user will notice. The ALB is active; its listeners
 * do what the spec says (a wrong one fails the stage: waiting will not fix it); at least the desired number of the
 * group's instances are healthy in the target group; and, on AWS, a GET of the health check path through the ALB
 * answers. Anything not there yet gives {@code ready: false}, and the workflow polls until the run's deadline.
 */
public class VerifyEnvironmentService {
    static final String LOCAL_DATA_PLANE = "not checked: the local cloud emulates the load balancer's API, not its "
            + "traffic, so no request reaches an instance; target health stands in for it";

    private final LoadBalancerGateway elb;
    private final AutoScalingGateway asg;
    private final SiteProbe probe;

    /** @param probe null where the site cannot be reached (the local cloud) */
    public VerifyEnvironmentService(LoadBalancerGateway elb, AutoScalingGateway asg, SiteProbe probe) {
        this.elb = elb;
        this.asg = asg;
        this.probe = probe;
    }

    public VerifyEnvironmentOutput verify(VerifyEnvironmentInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        Run run = StageInputs.require(input.run(), "$.run", "Prepare");
        var lbIn = StageInputs.require(input.loadBalancer(), "$.loadBalancer", "ProvisionLoadBalancer");
        String lbArn = StageInputs.require(lbIn.loadBalancerArn(), "$.loadBalancer.loadBalancerArn", "ProvisionLoadBalancer");
        String tgArn = StageInputs.require(lbIn.targetGroupArn(), "$.loadBalancer.targetGroupArn", "ProvisionLoadBalancer");
        String groupName = input.fleet() != null && input.fleet().groupName() != null ? input.fleet().groupName()
                : spec.resourceName(Role.APP.key());
        List<String> waiting = new ArrayList<>();

        LoadBalancerView lb = elb.loadBalancer(lbArn).orElseThrow(() -> new StageFailedException(
                "load balancer " + spec.loadBalancerName() + " (" + lbArn + ") no longer exists; run provisioning again"));
        boolean https = spec.loadBalancer().httpsEnabled();
        String siteUrl = (https ? "https://" : "http://") + lb.dnsName();
        if (!lb.active()) waiting.add("load balancer " + lb.name() + " is " + lb.state());

        List<ListenerView> listeners = elb.listeners(lbArn);
        ListenerPlan plan = ListenerPlan.of(ListenerSpec.desired(spec.loadBalancer(), tgArn), listeners);
        List<String> wrong = new ArrayList<>();
        plan.create().forEach(l -> wrong.add("no listener " + l.describe()));
        plan.modify().forEach(c -> wrong.add("listener " + c.current().spec().describe() + " should " + c.desired().describe()));
        if (!wrong.isEmpty()) {
            throw new StageFailedException("load balancer " + lb.name() + ": " + String.join("; ", wrong)
                    + " (something changed it after ProvisionLoadBalancer; run provisioning again)");
        }

        GroupView group = asg.find(groupName).orElseThrow(() -> new StageFailedException(
                "Auto Scaling group " + groupName + " does not exist; run provisioning again"));
        FleetHealth health = FleetHealth.of(group, elb.targetHealth(tgArn));
        if (!health.ready()) {
            waiting.add(health.healthy() + " of " + health.desired() + " app servers healthy in target group "
                    + spec.targetGroupName());
            waiting.addAll(health.problems());
        }

        String dataPlane;
        if (probe == null) {
            dataPlane = LOCAL_DATA_PLANE;
        } else if (!waiting.isEmpty()) {
            dataPlane = "not checked yet: waiting for the load balancer and its targets";
        } else {
            // Always over port 80: with HTTPS on, its certificate names the user's domain, not the ALB's DNS name,
            // so the redirect 80 answers is what can be checked from here; target health covers the app itself.
            URI url = URI.create("http://" + lb.dnsName() + spec.loadBalancer().healthCheck().path());
            SiteProbe.Answer answer = probe.get(url);
            String problem = judge(answer, https, new SuccessCodes(spec.loadBalancer().healthCheck().successCodes()));
            if (problem == null) {
                dataPlane = "GET " + url + " answered " + answer.status();
            } else {
                dataPlane = "GET " + url + " " + problem;
                waiting.add("the site does not answer through the load balancer: GET " + url + " " + problem);
            }
        }

        boolean ready = waiting.isEmpty();
        if (!ready) run.checkDeadline("the environment (" + waiting.getFirst() + ")");
        return new VerifyEnvironmentOutput(ready, health.healthy(),
                listeners.stream().map(l -> l.spec().describe()).toList(), siteUrl, dataPlane, List.copyOf(waiting));
    }

    /** Null when the answer is what a working site gives on port 80, else what is wrong. */
    static String judge(SiteProbe.Answer a, boolean https, SuccessCodes codes) {
        if (a.error() != null) return "failed: " + a.error();
        if (https) {
            boolean redirect = (a.status() == 301 || a.status() == 302) && a.location() != null && a.location().startsWith("https://");
            return redirect ? null : "answered " + a.status() + ", expected a redirect to https://";
        }
        return codes.matches(a.status()) ? null : "answered " + a.status() + ", expected " + codes.matcher();
    }
}
