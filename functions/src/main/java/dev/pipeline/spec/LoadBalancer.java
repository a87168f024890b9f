package dev.pipeline.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * The internet-facing ALB: HTTP:80 always, HTTPS:443 only when a certificate is given (the seed opened 443
 * without one, which serves nothing). Sessions stick to one Tomcat with a load-balancer cookie.
 */
public record LoadBalancer(Optional<String> certificateArn, int stickinessSeconds, HealthCheck healthCheck) {

    public static final int HTTP_PORT = 80;
    public static final int HTTPS_PORT = 443;

    public LoadBalancer {
        Objects.requireNonNull(certificateArn, "certificateArn");
        Objects.requireNonNull(healthCheck, "healthCheck");
    }

    public boolean httpsEnabled() {
        return certificateArn.isPresent();
    }
}
