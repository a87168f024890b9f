package dev.pipeline.provision.network;

import java.util.Objects;

/**
 * The other end of a security group rule: an IPv4 or IPv6 range, another security group, or a prefix list.
 * Security group rules name exactly one of them ({@code CidrIpv4}, {@code CidrIpv6}, {@code ReferencedGroupId},
 * {@code PrefixListId}).
 */
public record Peer(Kind kind, String value) {

    public enum Kind { IPV4, IPV6, GROUP, PREFIX_LIST }

    public static final Peer ANY_IPV4 = new Peer(Kind.IPV4, "0.0.0.0/0");
    public static final Peer ANY_IPV6 = new Peer(Kind.IPV6, "::/0");

    public Peer {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /** A range in the field its family needs ({@code CidrIp} vs {@code CidrIpv6}). */
    public static Peer cidr(String cidr) {
        return cidr.contains(":") ? new Peer(Kind.IPV6, cidr) : new Peer(Kind.IPV4, cidr);
    }

    public static Peer group(String groupId) {
        return new Peer(Kind.GROUP, groupId);
    }

    /** Reachable from the whole internet. */
    public boolean worldOpen() {
        return equals(ANY_IPV4) || equals(ANY_IPV6);
    }

    @Override
    public String toString() {
        return value;
    }
}
