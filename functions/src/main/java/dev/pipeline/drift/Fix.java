package dev.pipeline.drift;

import dev.pipeline.provision.loadbalancer.HealthCheckSettings;
import dev.pipeline.provision.network.SgRule;

import java.util.Map;

/**
 * One safe repair: restores what the spec says without deleting data or replacing anything. Each names the
 * finding id it clears, so a caller can show the plan next to the report.
 */
public sealed interface Fix {

    /** The finding this repairs. */
    String findingId();

    /** For the plan, in a user's words. */
    String describe();

    record AuthorizeRule(String groupId, SgRule rule) implements Fix {
        public String findingId() { return "sg.rule.missing"; }
        public String describe() { return "authorize " + rule + " on " + groupId; }
    }

    /**
     * A world-open ingress rule the spec does not have, on any group: the environment never needs it (the load
     * balancer's own 80/443 are in the spec), so revoking breaks nothing.
     */
    record RevokeRule(String groupId, SgRule rule) implements Fix {
        public String findingId() { return DriftRules.exposesSensitivePort(rule) ? "sg.rule.world-open" : "sg.rule.added"; }
        public String describe() { return "revoke " + rule + " from " + groupId; }
    }

    /** The record back to the instance's IP with provisioning's TTL (clears a wrong IP and a changed TTL alike). */
    record UpsertRecord(String zoneId, String name, String ip) implements Fix {
        public String findingId() { return "dns.record.mismatch"; }
        public String describe() { return "UPSERT " + name + " A " + ip + " TTL " + FixGateway.RECORD_TTL; }
    }

    /** Health check and/or stickiness attributes back to the spec's (null = leave as is). */
    record RestoreTargetGroup(String arn, HealthCheckSettings healthCheck, Map<String, String> attributes) implements Fix {
        public String findingId() { return healthCheck != null ? "tg.healthcheck.changed" : "tg.stickiness.off"; }
        public String describe() {
            return "restore target group " + arn.replaceFirst(".*targetgroup/", "") + (healthCheck == null ? "" : ": " + healthCheck.describe())
                    + (attributes == null ? "" : "; attributes " + attributes);
        }
    }

    record AttachTargetGroup(String groupName, String targetGroupArn) implements Fix {
        public String findingId() { return "asg.tg.detached"; }
        public String describe() { return "attach target group " + targetGroupArn.replaceFirst(".*targetgroup/", "") + " to " + groupName; }
    }

    /** The version the group runs becomes the default again, if that version is itself sound (checked when applied). */
    record RestoreDefaultVersion(String launchTemplateId, String version) implements Fix {
        public String findingId() { return "lt.imdsv2.optional"; }
        public String describe() { return "make version " + version + " (the one the group runs) the default of " + launchTemplateId; }
    }
}
