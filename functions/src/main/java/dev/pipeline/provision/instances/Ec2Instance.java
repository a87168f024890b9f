package dev.pipeline.provision.instances;

import java.time.Instant;
import java.util.List;

/**
 * One EC2 instance as the stages of this package see it, free of SDK types so decisions about it stay pure.
 *
 * @param component          the {@code pipeline:component} tag (e.g. {@code db01}); null when untagged
 * @param state              EC2's state name: pending, running, stopping, stopped, shutting-down, terminated
 * @param privateIp          null until EC2 assigns one (and again after termination)
 * @param instanceProfileArn null when the instance has no profile
 * @param bootStatus         how its boot script ended, from the tag the script sets on its own instance
 *                           ({@value #BOOT_TAG}: complete or failed); null while it runs (or never reported)
 */
public record Ec2Instance(String instanceId, String component, String state, String privateIp, Instant launchTime,
                          String instanceType, String subnetId, List<String> securityGroupIds,
                          String instanceProfileArn, String bootStatus) {
    /** The tag the boot script (userdata/_prelude.sh) sets on its own instance when it ends. */
    public static final String BOOT_TAG = "pipeline:boot";

    public Ec2Instance {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
    }

    /** Pending, running, stopping or stopped: the instance is still ours to use (a stopped one is started). */
    public boolean exists() {
        return switch (state) {
            case "pending", "running", "stopping", "stopped" -> true;
            default -> false;
        };
    }

    /** Shutting down or terminated: gone, or on its way; it can never run again. */
    public boolean retired() {
        return !exists();
    }

    /** What a user of the instance needs: running and reachable at a private address. */
    public boolean ready() {
        return "running".equals(state) && privateIp != null && !privateIp.isBlank();
    }

    /** Running, reachable, and its boot script finished successfully: only now is it ready to serve or to image. */
    public boolean booted() {
        return ready() && "complete".equals(bootStatus);
    }

    /** Its boot script ended with an error: it will never be ready (user data runs on an instance's first boot only). */
    public boolean bootFailed() {
        return "failed".equals(bootStatus);
    }

    public Ec2Instance withState(String newState) {
        return new Ec2Instance(instanceId, component, newState, privateIp, launchTime, instanceType, subnetId,
                securityGroupIds, instanceProfileArn, bootStatus);
    }
}
