package dev.pipeline.provision.fleet;

import java.util.List;

/**
 * What TeardownFleet leaves at {@code $.fleet}.
 *
 * @param ready   the group and the launch template are both gone
 * @param deleted what this call deleted (or started deleting)
 * @param waiting what is still on its way out; empty when ready
 */
public record TeardownFleetOutput(boolean ready, List<String> deleted, List<String> waiting) {
}
