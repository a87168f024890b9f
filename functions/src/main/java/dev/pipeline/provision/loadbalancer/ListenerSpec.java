package dev.pipeline.provision.loadbalancer;

import dev.pipeline.spec.LoadBalancer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One listener as the pipeline wants it (or as AWS describes it): port, protocol, and for HTTPS the TLS policy
 * and certificate.
 *
 * @param sslPolicy      only meaningful for HTTPS (AWS and moto report a policy on HTTP listeners too; ignored)
 * @param certificateArn only meaningful for HTTPS
 */
public record ListenerSpec(int port, String protocol, String sslPolicy, String certificateArn, ListenerAction action) {

    /** TLS 1.3 with TLS 1.2 fallback: AWS's recommended policy (and the console's default) since 2023. */
    public static final String TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    public ListenerSpec {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(action, "action");
    }

    public boolean https() {
        return "HTTPS".equals(protocol);
    }

    /**
     * The seed's listeners: HTTP:80 forwarding to the target group; with a certificate, HTTPS:443 forwarding and
     * HTTP:80 redirecting to it instead (serving the app on plain HTTP next to HTTPS would leak session cookies).
     */
    public static List<ListenerSpec> desired(LoadBalancer lb, String targetGroupArn) {
        ListenerAction forward = new ListenerAction.Forward(targetGroupArn);
        List<ListenerSpec> out = new ArrayList<>();
        if (lb.certificateArn().isPresent()) {
            out.add(new ListenerSpec(LoadBalancer.HTTP_PORT, "HTTP", null, null, ListenerAction.Redirect.toHttps()));
            out.add(new ListenerSpec(LoadBalancer.HTTPS_PORT, "HTTPS", TLS_POLICY, lb.certificateArn().get(), forward));
        } else {
            out.add(new ListenerSpec(LoadBalancer.HTTP_PORT, "HTTP", null, null, forward));
        }
        return out;
    }

    /** True when {@code actual} does what this listener should (TLS settings compared only for HTTPS). */
    public boolean satisfiedBy(ListenerSpec actual) {
        if (port != actual.port || !protocol.equals(actual.protocol) || !ListenerAction.same(action, actual.action)) {
            return false;
        }
        return !https() || Objects.equals(sslPolicy, actual.sslPolicy) && Objects.equals(certificateArn, actual.certificateArn);
    }

    /** For outputs and messages, e.g. {@code HTTP:80 redirect to HTTPS:443}. */
    public String describe() {
        return protocol + ":" + port + " " + ListenerAction.describe(action);
    }
}
