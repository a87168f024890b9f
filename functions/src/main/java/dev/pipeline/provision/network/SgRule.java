package dev.pipeline.provision.network;

import java.util.Locale;
import java.util.Objects;

/**
 * One security group rule: direction, protocol, port range and peer, which are its identity ({@link #key()}),
 * plus a description, which is carried but not part of it. Protocol {@value #ALL} means all traffic, with the
 * port range -1..-1 as DescribeSecurityGroupRules reports it.
 */
public record SgRule(boolean egress, String protocol, int fromPort, int toPort, Peer peer, String description) {

    public static final String ALL = "-1";
    public static final String TCP = "tcp";

    /** What makes two rules the same rule: AWS refuses a second rule with the same key (InvalidPermission.Duplicate). */
    public record Key(boolean egress, String protocol, int fromPort, int toPort, Peer peer) {}

    public SgRule {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(peer, "peer");
        protocol = protocol.toLowerCase(Locale.ROOT);
        if (protocol.equals(ALL)) {
            fromPort = -1;
            toPort = -1;
        }
        if (description != null && description.isEmpty()) {
            description = null;
        }
    }

    public static SgRule tcpIn(int port, Peer peer, String description) {
        return new SgRule(false, TCP, port, port, peer, description);
    }

    public static SgRule allIn(Peer peer, String description) {
        return new SgRule(false, ALL, -1, -1, peer, description);
    }

    public static SgRule allOut(Peer peer, String description) {
        return new SgRule(true, ALL, -1, -1, peer, description);
    }

    public Key key() {
        return new Key(egress, protocol, fromPort, toPort, peer);
    }

    public boolean allTraffic() {
        return protocol.equals(ALL);
    }

    @Override
    public String toString() {
        String ports = allTraffic() ? "all traffic" : protocol + " " + (fromPort == toPort ? fromPort : fromPort + "-" + toPort);
        return ports + (egress ? " to " : " from ") + peer;
    }
}
