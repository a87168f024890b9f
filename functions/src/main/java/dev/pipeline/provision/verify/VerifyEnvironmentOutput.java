package dev.pipeline.provision.verify;

import java.util.List;

/**
 * What VerifyEnvironment leaves at {@code $.verification}.
 *
 * @param ready          load balancer active, listeners as specified, at least the desired number of group
 *                       instances healthy in the target group, and (on AWS) the site answering through the ALB
 * @param healthyTargets group instances the target group finds healthy
 * @param listeners      what each listener does, e.g. "HTTP:80 forward to vprofile-tg"
 * @param siteUrl        where users reach the application
 * @param dataPlane      what the HTTP check through the load balancer found, or why it did not run
 * @param waiting        what is not ready yet; empty when ready
 */
public record VerifyEnvironmentOutput(boolean ready, int healthyTargets, List<String> listeners, String siteUrl,
                                      String dataPlane, List<String> waiting) {
}
