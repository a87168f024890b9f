package dev.pipeline.provision.dns;

import java.util.List;

/**
 * TeardownDns' result, at {@code $.dns}.
 *
 * @param ready   true when no zone of this environment is left
 * @param deleted ids of the zones this call deleted (empty when there was nothing left to delete)
 */
public record TeardownDnsOutput(boolean ready, List<String> deleted) {}
