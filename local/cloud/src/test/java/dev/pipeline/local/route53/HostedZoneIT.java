package dev.pipeline.local.route53;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.CreateHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.HostedZoneAlreadyExistsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class HostedZoneIT {

    @Test
    void createHostedZone_isRefused_whenCallerReferenceWasUsed(Route53Client route53) {
        CreateHostedZoneResponse first = create(route53, "shop.example.com", "provision-prod-1");

        assertThatThrownBy(() -> create(route53, "shop.example.com", "provision-prod-1"))
                .isInstanceOfSatisfying(HostedZoneAlreadyExistsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("HostedZoneAlreadyExists");
                });
        assertThat(route53.listHostedZones().hostedZones()).extracting(HostedZone::id)
                .containsExactly(first.hostedZone().id());
    }

    @Test
    void createHostedZone_makesSecondZone_forAnotherCallerReference(Route53Client route53) {
        create(route53, "shop.example.com", "provision-prod-1");
        create(route53, "shop.example.com", "provision-prod-2");

        assertThat(route53.listHostedZones().hostedZones()).extracting(HostedZone::callerReference)
                .containsExactlyInAnyOrder("provision-prod-1", "provision-prod-2");
    }

    @Test
    void callerReference_staysUsed_afterItsZoneIsDeleted(Route53Client route53) {
        String zoneId = create(route53, "shop.example.com", "provision-prod-1").hostedZone().id();
        route53.deleteHostedZone(b -> b.id(zoneId));

        assertThatThrownBy(() -> create(route53, "shop.example.com", "provision-prod-1"))
                .isInstanceOf(HostedZoneAlreadyExistsException.class);
        assertThat(route53.listHostedZones().hostedZones()).isEmpty();
    }

    @Test
    void callerReference_isUsableAgain_afterReset(dev.pipeline.local.LocalCloud cloud, Route53Client route53) throws Exception {
        create(route53, "shop.example.com", "provision-prod-1");
        cloud.reset();

        create(route53, "shop.example.com", "provision-prod-1");
        assertThat(route53.listHostedZones().hostedZones()).hasSize(1);
    }

    private static CreateHostedZoneResponse create(Route53Client route53, String name, String callerReference) {
        return route53.createHostedZone(b -> b.name(name).callerReference(callerReference));
    }
}
