package dev.pipeline.provision.image;

import java.time.Instant;
import java.util.Map;

/** An instance as the bake stage needs to see it, without SDK types. {@code state} is EC2's state name. */
record InstanceView(String id, String state, Instant launchTime, Map<String, String> tags) {

    InstanceView {
        tags = Map.copyOf(tags);
    }
}
