package dev.pipeline.local.iam;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** CreateServiceLinkedRole makes the role AWS documents, found afterwards by that name. */
@ExtendWith(LocalCloudExtension.class)
class ServiceLinkedRoleNamesIT {

    @Test
    void elasticLoadBalancingsRole_hasAwsName_andPath(IamClient iam) {
        Role created = iam.createServiceLinkedRole(b -> b.awsServiceName("elasticloadbalancing.amazonaws.com")).role();

        assertThat(created.roleName()).isEqualTo("AWSServiceRoleForElasticLoadBalancing");
        Role found = iam.getRole(b -> b.roleName("AWSServiceRoleForElasticLoadBalancing")).role();
        assertThat(found.path()).isEqualTo("/aws-service-role/elasticloadbalancing.amazonaws.com/");
        assertThat(found.arn()).endsWith(":role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing");
    }

    @Test
    void aSecondCreate_isRefusedAsOnAws(IamClient iam) {
        iam.createServiceLinkedRole(b -> b.awsServiceName("autoscaling.amazonaws.com"));

        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.createServiceLinkedRole(b -> b.awsServiceName("autoscaling.amazonaws.com")));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInput");
    }
}
