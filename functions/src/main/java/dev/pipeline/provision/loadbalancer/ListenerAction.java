package dev.pipeline.provision.loadbalancer;

import java.util.Objects;

/** What a listener does with a request, reduced to the two kinds the pipeline uses; anything else is {@link Other}. */
public sealed interface ListenerAction {

    /** Forward everything to one target group. */
    record Forward(String targetGroupArn) implements ListenerAction {
        public Forward {
            Objects.requireNonNull(targetGroupArn, "targetGroupArn");
        }
    }

    /**
     * An HTTP redirect. Fields AWS leaves out mean "keep the original component", which AWS writes as
     * {@code #{protocol}}, {@code #{port}}, {@code #{host}}, {@code /#{path}}, {@code #{query}}
     * (RedirectActionConfig in the ELB API reference); {@link #normalized()} fills them in so that a listener
     * described by AWS (or by moto, which echoes only what was sent) compares equal to what we asked for.
     */
    record Redirect(String protocol, String port, String host, String path, String query, String statusCode)
            implements ListenerAction {

        /** HTTP → HTTPS on 443, everything else kept, permanent (browsers and crawlers remember a 301). */
        public static Redirect toHttps() {
            return new Redirect("HTTPS", "443", "#{host}", "/#{path}", "#{query}", "HTTP_301");
        }

        public Redirect normalized() {
            return new Redirect(or(protocol, "#{protocol}"), or(port, "#{port}"), or(host, "#{host}"),
                    or(path, "/#{path}"), or(query, "#{query}"), statusCode);
        }

        private static String or(String v, String keep) {
            return v == null || v.isEmpty() ? keep : v;
        }
    }

    /** An action this pipeline never creates (fixed-response, authenticate-*, weighted forward to several groups). */
    record Other(String type) implements ListenerAction {
    }

    /** Equality after filling in AWS's defaults. */
    static boolean same(ListenerAction a, ListenerAction b) {
        if (a instanceof Redirect ra && b instanceof Redirect rb) return ra.normalized().equals(rb.normalized());
        return Objects.equals(a, b);
    }

    /** For messages: "forward", "redirect to HTTPS:443", ... */
    static String describe(ListenerAction a) {
        return switch (a) {
            case Forward f -> "forward to " + f.targetGroupArn().replaceFirst("^.*:targetgroup/([^/]+)/.*$", "$1");
            case Redirect r -> "redirect to " + r.protocol() + ":" + r.port();
            case Other o -> o.type();
        };
    }
}
