package dev.pipeline.local.codedeploy;

import dev.pipeline.local.LocalCloud;
import software.amazon.awssdk.services.iam.IamClient;

/** Service roles for test deployment groups: CodeDeploy refuses a group whose role does not exist or does not trust it. */
public final class ServiceRoles {
    private ServiceRoles() {}

    /** Creates role {@code name} trusting codedeploy.amazonaws.com; its ARN. */
    public static String create(LocalCloud cloud, String name) {
        return cloud.client(IamClient.class).createRole(b -> b.roleName(name).assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""))
                .role().arn();
    }
}
