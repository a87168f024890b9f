package dev.pipeline.provision.instances;

/** One server in a stage's output: enough for the DNS stage (private IP) and for a human reading the history. */
public record InstanceStatus(String instanceId, String privateIp, String state) {

    static InstanceStatus of(Ec2Instance i) {
        return new InstanceStatus(i.instanceId(), i.privateIp(), i.state());
    }
}
