package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One EventBridge rule target that is a state machine, as moto holds it: an SQS queue moto delivers the
 * rule's events to, and the target as the user wrote it. Keyed by bus, rule and target id, as AWS keys targets.
 */
record Relay(Key key, String queueUrl, String queueArn, ObjectNode target, TargetInput input) {

    /** A target's identity: event bus name, rule name, target id. */
    record Key(String bus, String rule, String targetId) {}

    String stateMachineArn() { return target.path("Arn").asText(); }

    /** The account of the rule, for events moto delivers without one. */
    String account() { return queueArn.split(":")[4]; }

    static boolean isStateMachineArn(String arn) {
        // arn:aws:states:<region>:<account>:stateMachine:<name>; partitions aws-cn/aws-us-gov included
        String[] p = arn == null ? new String[0] : arn.split(":", 7);
        return p.length == 7 && p[0].equals("arn") && p[2].equals("states") && p[5].equals("stateMachine");
    }
}
