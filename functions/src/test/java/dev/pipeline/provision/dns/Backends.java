package dev.pipeline.provision.dns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.LandingZone;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.LinkedHashMap;
import java.util.Map;

/** Backend instances launched with the SDK, and {@code $.backends} as ProvisionBackends would report them. */
final class Backends {
    static final String AMI = "ami-0123456789abcdef0";

    private final Map<String, Instance> byHost = new LinkedHashMap<>();

    static Backends launch(Ec2Client ec2, LandingZone zone) {
        Backends b = new Backends();
        for (String host : new String[]{"db01", "mc01", "rmq01"}) b.replace(ec2, zone, host);
        return b;
    }

    /** Launches a new instance for {@code host}, as ProvisionBackends does when one was lost; returns its IP. */
    String replace(Ec2Client ec2, LandingZone zone, String host) {
        Instance old = byHost.get(host);
        if (old != null) ec2.terminateInstances(r -> r.instanceIds(old.instanceId()));
        Instance i = ec2.runInstances(r -> r.imageId(AMI).instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(zone.appSubnets().getFirst())
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(
                        Tag.builder().key("pipeline:environment").value(LandingZone.ENVIRONMENT).build(),
                        Tag.builder().key("pipeline:component").value(host).build()))).instances().getFirst();
        byHost.put(host, i);
        return i.privateIpAddress();
    }

    String ip(String host) {
        return byHost.get(host).privateIpAddress();
    }

    ObjectNode json() {
        ObjectNode out = JsonHandler.JSON.createObjectNode().put("ready", true);
        ObjectNode instances = out.putObject("instances");
        byHost.forEach((host, i) -> instances.putObject(host)
                .put("instanceId", i.instanceId()).put("privateIp", i.privateIpAddress()).put("state", "running"));
        return out;
    }
}
