package dev.pipeline.local.quotas;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuotasException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The two quotas the preflight reads answer as AWS does (moto's Service Quotas knows only "vpc"). */
@ExtendWith(LocalCloudExtension.class)
class ServiceQuotasIT {

    @Test
    void onDemandVcpus_areAwsDefaultOfFive_untilAnIncreaseIsRequested(ServiceQuotasClient quotas) {
        assertThat(quotas.getAWSDefaultServiceQuota(b -> b.serviceCode("ec2").quotaCode("L-1216C47A")).quota().value()).isEqualTo(5.0);
        assertThat(quotas.getServiceQuota(b -> b.serviceCode("ec2").quotaCode("L-1216C47A")).quota().quotaName())
                .isEqualTo("Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances");

        quotas.requestServiceQuotaIncrease(b -> b.serviceCode("ec2").quotaCode("L-1216C47A").desiredValue(64.0));

        assertThat(quotas.getServiceQuota(b -> b.serviceCode("ec2").quotaCode("L-1216C47A")).quota().value()).isEqualTo(64.0);
        assertThat(quotas.getAWSDefaultServiceQuota(b -> b.serviceCode("ec2").quotaCode("L-1216C47A")).quota().value()).isEqualTo(5.0);
    }

    @Test
    void applicationLoadBalancers_areFiftyPerRegion(ServiceQuotasClient quotas) {
        assertThat(quotas.getServiceQuota(b -> b.serviceCode("elasticloadbalancing").quotaCode("L-53DA6B97")).quota().value())
                .isEqualTo(50.0);
    }

    @Test
    void anIncreaseThatIsNotOne_isRefused(ServiceQuotasClient quotas) {
        ServiceQuotasException e = catchThrowableOfType(ServiceQuotasException.class, () ->
                quotas.requestServiceQuotaIncrease(b -> b.serviceCode("ec2").quotaCode("L-1216C47A").desiredValue(5.0)));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("IllegalArgumentException");
    }
}
