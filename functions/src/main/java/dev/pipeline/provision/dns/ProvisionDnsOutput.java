package dev.pipeline.provision.dns;

import java.util.Map;

/**
 * ProvisionDns' result, at {@code $.dns}.
 *
 * @param zoneId   the bare hosted zone id
 * @param zoneName the zone as the spec names it ({@code vprofile.in})
 * @param records  backend DNS name → the private IPv4 address its A record points at
 */
public record ProvisionDnsOutput(String zoneId, String zoneName, Map<String, String> records) {}
