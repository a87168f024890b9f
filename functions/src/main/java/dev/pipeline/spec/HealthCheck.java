package dev.pipeline.spec;

import java.util.Objects;

/**
 * The target group's HTTP health check against Tomcat on 8080. The same check gates deploys, so it should hit a
 * page that needs the application (and its database) to be up, like vprofile's {@code /login}.
 *
 * @param successCodes ELB matcher syntax: {@code 200}, {@code 200,302} or {@code 200-299}
 */
public record HealthCheck(String path, int intervalSeconds, int timeoutSeconds, int healthyThreshold,
                          int unhealthyThreshold, String successCodes) {

    public HealthCheck {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(successCodes, "successCodes");
    }
}
