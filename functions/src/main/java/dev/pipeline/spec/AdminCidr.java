package dev.pipeline.spec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the admin CIDR: a well-formed IPv4 or IPv6 range in network form, never the whole internet. Parses
 * without DNS: only literal addresses are accepted.
 */
final class AdminCidr {

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
    private static final Pattern PREFIX = Pattern.compile("0|[1-9]\\d{0,2}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final String EXAMPLE = "e.g. 203.0.113.10/32 for one IPv4 address or 2001:db8::10/128 for one IPv6 address";

    private AdminCidr() {
    }

    static Optional<String> problem(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.of("missing the prefix length; " + EXAMPLE);
        }
        String address = text.substring(0, slash);
        String prefixText = text.substring(slash + 1);
        byte[] bytes = parse(address);
        if (bytes == null) {
            return Optional.of("\"" + text + "\" is not an IPv4 or IPv6 CIDR; " + EXAMPLE);
        }
        int bits = bytes.length * 8;
        if (!PREFIX.matcher(prefixText).matches() || Integer.parseInt(prefixText) > bits) {
            return Optional.of("prefix length must be 0 to " + bits + ", got \"" + prefixText + "\"");
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix == 0) {
            return Optional.of("\"" + text + "\" opens administration to the whole internet; give the operator's "
                    + "own range, " + EXAMPLE);
        }
        byte[] network = network(bytes, prefix);
        if (!Arrays.equals(network, bytes)) {
            // EC2 wants the network address; we refuse rather than normalize so drift checks compare like with like.
            return Optional.of("host bits are set; did you mean " + format(network) + "/" + prefix + "?");
        }
        return Optional.empty();
    }

    private static byte[] parse(String address) {
        Matcher v4 = IPV4.matcher(address);
        if (v4.matches()) {
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                out[i] = (byte) Integer.parseInt(v4.group(i + 1));
            }
            return out;
        }
        // Only hex, colons and dots: no zone ids (%eth0) and never a host name, so ofLiteral cannot resolve DNS.
        if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) {
            return null;
        }
        try {
            InetAddress parsed = Inet6Address.ofLiteral(address);
            // IPv4-mapped addresses come back as Inet4Address; a security group wants a real IPv6 range.
            return parsed instanceof Inet6Address ? parsed.getAddress() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] network(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    private static String format(byte[] bytes) {
        try {
            InetAddress address = InetAddress.getByAddress(bytes); // no lookup: raw bytes in, literal out
            String text = address.getHostAddress();
            return address instanceof Inet6Address ? compress(text) : text;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints 2001:db8:0:0:0:0:0:0; users write 2001:db8::. Replace the longest run of zero groups. */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength && j - i > 1) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
