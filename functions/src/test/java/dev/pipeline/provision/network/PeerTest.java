package dev.pipeline.provision.network;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerTest {

    @Test
    void ipv6Ranges_haveOneSpelling_soTheSpecAndEc2Agree() {
        assertThat(Peer.cidr("2001:DB8:0:0::10/128")).isEqualTo(Peer.cidr("2001:db8::10/128"));
        assertThat(Peer.cidr("2001:db8:0:0:1:0:0:0/96").value()).isEqualTo("2001:db8:0:0:1::/96"); // the longest run
        assertThat(Peer.cidr("2001:db8:0:0:1:0:0:1/128").value()).isEqualTo("2001:db8::1:0:0:1/128"); // a tie: the first
        assertThat(Peer.cidr("::/0")).isEqualTo(Peer.ANY_IPV6);
        assertThat(Peer.cidr("2001:db8:0:1:1:1:1:1/128").value()).isEqualTo("2001:db8:0:1:1:1:1:1/128");
        assertThat(Peer.cidr("fe80::/10").value()).isEqualTo("fe80::/10");
    }

    @Test
    void ipv4Ranges_andGroups_areKeptAsGiven() {
        assertThat(Peer.cidr("203.0.113.10/32").kind()).isEqualTo(Peer.Kind.IPV4);
        assertThat(Peer.cidr("203.0.113.10/32").value()).isEqualTo("203.0.113.10/32");
        assertThat(Peer.group("sg-0aaaaaaaaaaaaaaa1").worldOpen()).isFalse();
        assertThat(Peer.ANY_IPV4.worldOpen()).isTrue();
    }
}
