package dev.pipeline.local.junit;

import dev.pipeline.local.LocalCloud;
import software.amazon.awssdk.services.iam.IamClient;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Roles a test's own state machines run as. The local cloud signs a Task's Lambda invocation and its aws-sdk
 * service calls as the state machine's role and refuses them unless the role may, as AWS does; a test that creates a
 * state machine outside template.yaml gives it a role made here.
 */
public final class TestRoles {
    private TestRoles() {}

    /**
     * Creates (or replaces the policy of) a role that Step Functions may assume and that may invoke exactly the named
     * functions, as SAM's {@code LambdaInvokePolicy} grants it ({@code function:NAME*}, so aliases and versions too).
     * Returns its ARN.
     */
    public static String statesRole(IamClient iam, String roleName, String... functionNames) {
        String resources = Arrays.stream(functionNames)
                .map(f -> "\"arn:aws:lambda:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":function:" + f + "*\"")
                .collect(Collectors.joining(","));
        return statesRoleAllowing(iam, roleName,
                "{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":[" + resources + "]}");
    }

    /**
     * Creates (or replaces the policy of) a role that Step Functions may assume and that is allowed exactly the given
     * policy statements (JSON objects): for a state machine whose aws-sdk Tasks (CodeDeploy's, ...) the local cloud
     * signs as its role, as Step Functions calls integrated services as the execution role. Returns its ARN.
     */
    public static String statesRoleAllowing(IamClient iam, String roleName, String... statements) {
        assumableByStepFunctions(iam, roleName);
        iam.putRolePolicy(b -> b.roleName(roleName).policyName("grants").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}"));
        return "arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/" + roleName;
    }

    private static void assumableByStepFunctions(IamClient iam, String roleName) {
        boolean exists = iam.listRoles().roles().stream().anyMatch(r -> r.roleName().equals(roleName));
        if (!exists) {
            iam.createRole(b -> b.roleName(roleName).assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""));
        }
    }
}
