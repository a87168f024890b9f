package dev.pipeline.provision.loadbalancer;

import dev.pipeline.provision.StageInputs;
import dev.pipeline.provision.alarms.AlarmGateway;
import dev.pipeline.provision.alarms.EnvironmentAlarms;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TeardownLoadBalancer, "converge to absent": the environment's alarms, the ALB's listeners, the ALB, then the
 * target group, each found by name and deleted only when it carries this environment's tag. An ALB's deletion finishes asynchronously on AWS,
 * and the target group cannot go while the ALB still references it (ResourceInUse), so the stage answers
 * {@code ready: false} until DescribeLoadBalancers no longer lists the ALB and the target group is deleted.
 */
public class TeardownLoadBalancerService {
    private final LoadBalancerGateway elb;
    private final AlarmGateway alarms;

    public TeardownLoadBalancerService(LoadBalancerGateway elb, AlarmGateway alarms) {
        this.elb = elb;
        this.alarms = alarms;
    }

    public TeardownLoadBalancerOutput teardown(TeardownLoadBalancerInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        List<String> deleted = new ArrayList<>();
        List<String> waiting = new ArrayList<>();

        List<String> ourAlarms = alarms.find(EnvironmentAlarms.names(spec)).values().stream()
                .filter(a -> ours(spec, alarms.tags(a.arn()))).map(a -> a.definition().name()).toList();
        alarms.delete(ourAlarms);
        ourAlarms.forEach(name -> deleted.add("alarm " + name));

        Optional<LoadBalancerView> lb = elb.findLoadBalancer(spec.loadBalancerName()).filter(l -> ours(spec, l.tags()));
        if (lb.isPresent()) {
            for (ListenerView l : elb.listeners(lb.get().arn())) {
                if (elb.deleteListener(l.arn())) deleted.add("listener " + l.spec().describe());
            }
            if (elb.deleteLoadBalancer(lb.get().arn())) deleted.add("load balancer " + spec.loadBalancerName());
            if (elb.loadBalancer(lb.get().arn()).isPresent()) {
                waiting.add("load balancer " + spec.loadBalancerName() + " is being deleted");
            }
        }

        Optional<TargetGroupView> tg = elb.findTargetGroup(spec.targetGroupName()).filter(t -> ours(spec, t.tags()));
        if (tg.isPresent()) {
            switch (elb.deleteTargetGroup(tg.get().arn())) {
                case DELETED -> deleted.add("target group " + spec.targetGroupName());
                case NOT_FOUND -> { }
                case IN_USE -> waiting.add("target group " + spec.targetGroupName()
                        + " is still referenced by a load balancer that is being deleted");
            }
        }

        boolean ready = waiting.isEmpty();
        if (!ready) StageInputs.require(input.run(), "$.run", "Prepare").checkDeadline("the load balancer's deletion");
        return new TeardownLoadBalancerOutput(ready, deleted, waiting);
    }

    /** A same-named resource without our tag is someone else's: teardown leaves it alone. */
    private static boolean ours(EnvironmentSpec spec, Map<String, String> tags) {
        return spec.name().equals(tags.get(EnvironmentSpec.TAG_ENVIRONMENT));
    }
}
