package dev.pipeline.provision.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.Prerequisites;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.loadbalancer.ProvisionLoadBalancerHandler;

/** Workflow states up to a given stage, built by running this package's (and the load balancer's) own handlers. */
public final class FleetStates {
    private FleetStates() {}

    /** Spec, run, security groups, load balancer, golden image and launch template: what ProvisionAutoScalingGroup reads. */
    public static ObjectNode beforeAutoScalingGroup(LocalCloud cloud, LandingZone zone) {
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);
        state.set("loadBalancer", StageHarness.invoke(new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction")), state));
        state.putObject("goldenImage").put("ready", true).put("imageId", Prerequisites.goldenImage(cloud, zone));
        state.set("launchTemplate", StageHarness.invoke(new ProvisionLaunchTemplateHandler(zone.functionEnvironment(cloud, "ProvisionLaunchTemplateFunction")), state));
        return state;
    }

    /** Everything VerifyEnvironment reads, the group ready. */
    public static ObjectNode provisioned(LocalCloud cloud, LandingZone zone) {
        ObjectNode state = beforeAutoScalingGroup(cloud, zone);
        JsonNode fleet = StageHarness.invoke(new ProvisionAutoScalingGroupHandler(zone.functionEnvironment(cloud, "ProvisionAutoScalingGroupFunction")), state);
        if (!fleet.get("ready").asBoolean()) throw new IllegalStateException("fleet not ready: " + fleet);
        state.set("fleet", fleet);
        return state;
    }
}
