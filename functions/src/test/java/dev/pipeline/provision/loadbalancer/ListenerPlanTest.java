package dev.pipeline.provision.loadbalancer;

import dev.pipeline.spec.HealthCheck;
import dev.pipeline.spec.LoadBalancer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerPlanTest {
    static final String TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/vprofile-tg/abc";
    static final String CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    static final HealthCheck HC = new HealthCheck("/login", 15, 5, 3, 2, "200");
    static final LoadBalancer HTTP_ONLY = new LoadBalancer(Optional.empty(), 86400, HC);
    static final LoadBalancer WITH_CERT = new LoadBalancer(Optional.of(CERT), 86400, HC);

    @Test
    void desired_is80Forwarding_withoutCertificate() {
        assertThat(ListenerSpec.desired(HTTP_ONLY, TG)).extracting(ListenerSpec::describe)
                .containsExactly("HTTP:80 forward to vprofile-tg");
    }

    @Test
    void desired_is443ForwardingAnd80Redirecting_withCertificate() {
        List<ListenerSpec> d = ListenerSpec.desired(WITH_CERT, TG);
        assertThat(d).extracting(ListenerSpec::describe)
                .containsExactly("HTTP:80 redirect to HTTPS:443", "HTTPS:443 forward to vprofile-tg");
        assertThat(d.get(1).sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");
        assertThat(d.get(1).certificateArn()).isEqualTo(CERT);
    }

    @Test
    void plan_isEmpty_whenListenersMatch_evenIfAwsOmitsRedirectDefaultsAndReportsAPolicyOnHttp() {
        // moto echoes only the redirect fields that were sent; AWS reports a TLS policy on HTTP listeners too
        List<ListenerView> actual = List.of(
                new ListenerView("l80", new ListenerSpec(80, "HTTP", "ELBSecurityPolicy-2016-08", null,
                        new ListenerAction.Redirect("HTTPS", "443", null, null, null, "HTTP_301"))),
                new ListenerView("l443", new ListenerSpec(443, "HTTPS", ListenerSpec.TLS_POLICY, CERT, new ListenerAction.Forward(TG))));
        assertThat(ListenerPlan.of(ListenerSpec.desired(WITH_CERT, TG), actual).isEmpty()).isTrue();
    }

    @Test
    void plan_creates443BeforeTurning80IntoARedirect_whenCertificateIsAdded() {
        List<ListenerView> actual = List.of(new ListenerView("l80", new ListenerSpec(80, "HTTP", null, null, new ListenerAction.Forward(TG))));
        ListenerPlan plan = ListenerPlan.of(ListenerSpec.desired(WITH_CERT, TG), actual);
        assertThat(plan.create()).extracting(ListenerSpec::port).containsExactly(443);
        assertThat(plan.modify()).singleElement().satisfies(c -> {
            assertThat(c.current().arn()).isEqualTo("l80");
            assertThat(c.desired().action()).isInstanceOf(ListenerAction.Redirect.class);
        });
        assertThat(plan.delete()).isEmpty();
    }

    @Test
    void plan_makes80ForwardAndDeletes443_whenCertificateIsRemoved() {
        List<ListenerView> actual = List.of(
                new ListenerView("l80", new ListenerSpec(80, "HTTP", null, null, ListenerAction.Redirect.toHttps())),
                new ListenerView("l443", new ListenerSpec(443, "HTTPS", ListenerSpec.TLS_POLICY, CERT, new ListenerAction.Forward(TG))));
        ListenerPlan plan = ListenerPlan.of(ListenerSpec.desired(HTTP_ONLY, TG), actual);
        assertThat(plan.create()).isEmpty();
        assertThat(plan.modify()).extracting(c -> c.desired().describe()).containsExactly("HTTP:80 forward to vprofile-tg");
        assertThat(plan.delete()).extracting(ListenerView::arn).containsExactly("l443");
    }

    @Test
    void plan_modifies443_whenItsCertificateOrPolicyDiffers() {
        List<ListenerView> actual = List.of(
                new ListenerView("l80", new ListenerSpec(80, "HTTP", null, null, ListenerAction.Redirect.toHttps())),
                new ListenerView("l443", new ListenerSpec(443, "HTTPS", "ELBSecurityPolicy-2016-08", CERT, new ListenerAction.Forward(TG))));
        assertThat(ListenerPlan.of(ListenerSpec.desired(WITH_CERT, TG), actual).modify())
                .extracting(c -> c.current().arn()).containsExactly("l443");
    }

    @Test
    void plan_modifies80_whenItAnswersSomethingElse() {
        List<ListenerView> actual = List.of(new ListenerView("l80", new ListenerSpec(80, "HTTP", null, null,
                new ListenerAction.Other("fixed-response"))));
        assertThat(ListenerPlan.of(ListenerSpec.desired(HTTP_ONLY, TG), actual).modify()).hasSize(1);
    }
}
