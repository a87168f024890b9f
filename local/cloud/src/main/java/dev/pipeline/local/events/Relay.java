package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One EventBridge rule target that moto cannot deliver to (a state machine or a Lambda function), as moto holds
 * it: an SQS queue moto delivers the rule's events to, and the target as the user wrote it. Keyed by bus, rule
 * and target id, as AWS keys targets.
 */
record Relay(Key key, String queueUrl, String queueArn, ObjectNode target, TargetInput input) {

    /** A target's identity: event bus name, rule name, target id. */
    record Key(String bus, String rule, String targetId) {}

    /** What the relay does with each event. */
    enum Kind {
        /** StartExecution on the state machine. */
        STATE_MACHINE,
        /** An asynchronous invocation of the function in the local Lambda runtime. */
        LAMBDA_FUNCTION
    }

    /** The target's ARN as the user put it. */
    String targetArn() { return target.path("Arn").asText(); }

    Kind kind() { return isStateMachineArn(targetArn()) ? Kind.STATE_MACHINE : Kind.LAMBDA_FUNCTION; }

    /** The name the local Lambda runtime knows the target function by (the local runtime has no versions or aliases). */
    String functionName() { return functionName(targetArn()); }

    /** The account of the rule, for events moto delivers without one. */
    String account() { return queueArn.split(":")[4]; }

    /** Targets moto 5.2.1 cannot deliver to and the relay delivers instead. */
    static boolean isRelayed(String arn) {
        return isStateMachineArn(arn) || isLambdaFunctionArn(arn);
    }

    static boolean isStateMachineArn(String arn) {
        // arn:aws:states:<region>:<account>:stateMachine:<name>; partitions aws-cn/aws-us-gov included
        String[] p = arn == null ? new String[0] : arn.split(":", 7);
        return p.length == 7 && p[0].equals("arn") && p[2].equals("states") && p[5].equals("stateMachine");
    }

    static boolean isLambdaFunctionArn(String arn) {
        // arn:aws:lambda:<region>:<account>:function:<name>[:<version or alias>]
        String[] p = arn == null ? new String[0] : arn.split(":", -1);
        return (p.length == 7 || p.length == 8 && !p[7].isEmpty()) && p[0].equals("arn") && p[2].equals("lambda")
                && p[5].equals("function") && !p[6].isEmpty();
    }

    /** The function name of a Lambda function ARN, its qualifier dropped. */
    static String functionName(String lambdaArn) {
        return lambdaArn.split(":", -1)[6];
    }
}
