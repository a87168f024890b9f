package dev.pipeline.provision.network;

import java.net.InetAddress;
import java.util.Locale;
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
        if (kind == Kind.IPV6) {
            value = canonicalIpv6(value);
        }
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

    /**
     * One spelling per IPv6 range (RFC 5952: lowercase, longest zero run as ::), so the spec's
     * "2001:DB8:0::10/128" and whatever EC2 reports compare equal instead of being revoked and re-added on every
     * run. EC2's own spelling is not documented; this makes the comparison independent of it.
     */
    static String canonicalIpv6(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        String suffix = slash < 0 ? "" : cidr.substring(slash);
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            return cidr; // not a literal: leave it for EC2 to reject
        }
        try {
            // ofLiteral never resolves names; the character check above keeps zone ids out
            byte[] b = InetAddress.ofLiteral(address).getAddress();
            if (b.length != 16) {
                return cidr.toLowerCase(Locale.ROOT);
            }
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
            }
            int bestStart = -1;
            int bestLength = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
            for (int i = 0; i < 8; ) {
                int j = i;
                while (j < 8 && groups[j] == 0) j++;
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j == i ? i + 1 : j;
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    out.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') out.append(':');
                out.append(Integer.toHexString(groups[i]));
            }
            return out + suffix;
        } catch (IllegalArgumentException e) {
            return cidr;
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
