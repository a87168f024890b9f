package dev.pipeline.provision.instances;

import java.util.List;

/**
 * {@code $.instances} of the teardown: every instance of the environment that is terminated or shutting down
 * (sorted); ready once all of them are terminated.
 */
public record TeardownInstancesOutput(boolean ready, List<String> terminated) {
}
