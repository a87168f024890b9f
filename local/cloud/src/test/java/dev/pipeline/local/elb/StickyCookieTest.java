package dev.pipeline.local.elb;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The AWSALB value round-trips, and a value that was altered or is not ours "cannot be decoded". */
class StickyCookieTest {
    private final StickyCookie cookies = new StickyCookie();
    private final StickyCookie.Binding binding = new StickyCookie.Binding(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc", "i-0123", 8080, Instant.ofEpochSecond(2_000_000_000L));

    @Test
    void roundTrips() {
        assertThat(cookies.decode(cookies.encode(binding))).contains(binding);
    }

    @Test
    void alteredOrForeignValues_cannotBeDecoded() {
        String v = cookies.encode(binding);
        assertThat(cookies.decode(v.substring(1))).isEmpty();
        assertThat(cookies.decode(new StickyCookie().encode(binding))).isEmpty();
        assertThat(cookies.decode("garbage")).isEmpty();
        assertThat(cookies.decode(null)).isEmpty();
    }
}
