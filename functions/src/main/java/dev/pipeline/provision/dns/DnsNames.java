package dev.pipeline.provision.dns;

import java.util.Locale;

/**
 * DNS name spellings. Route 53 treats {@code db01.vprofile.in} and {@code DB01.vprofile.in.} as one name and lists
 * names in lowercase with a trailing dot; moto compares names case-sensitively (docs/moto-measured.md), so every name we
 * send or compare goes through {@link #canonical(String)} first.
 */
final class DnsNames {
    private DnsNames() {}

    /** Lowercase, with the trailing dot: the form Route 53 lists names in. */
    static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    /** Without the trailing dot: the form users write and the stage reports. */
    static String display(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** Whether two spellings name the same domain. */
    static boolean same(String a, String b) {
        return canonical(a).equals(canonical(b));
    }
}
