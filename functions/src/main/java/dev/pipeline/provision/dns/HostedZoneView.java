package dev.pipeline.provision.dns;

import dev.pipeline.spec.EnvironmentSpec;

import java.util.Map;

/**
 * A hosted zone as this stage needs to see it, without SDK types.
 *
 * @param id      the bare zone id ({@code Z0123...}, without {@code /hostedzone/})
 * @param comment the creation-time comment; carries {@link #marker(String)} for zones this pipeline created
 * @param tags    the zone's tags
 */
record HostedZoneView(String id, String name, boolean privateZone, String comment, Map<String, String> tags) {

    HostedZoneView {
        tags = Map.copyOf(tags);
    }

    /**
     * What CreateHostedZone writes in the zone's comment. Route 53 takes no tags at creation, so a zone exists
     * untagged between CreateHostedZone and ChangeTagsForResource; a Lambda that dies in that gap leaves a zone the
     * next run must still recognise as its own. The comment is set atomically with the zone.
     */
    static String marker(String environment) {
        return "Private zone of war-pipeline environment " + environment
                + " (" + EnvironmentSpec.TAG_ENVIRONMENT + "=" + environment + ")";
    }

    /**
     * Whether this pipeline's {@code environment} owns the zone: private, and tagged with the environment, or (only
     * while untagged) carrying the creation marker. A zone tagged for another environment is never ours.
     */
    boolean ownedBy(String environment) {
        if (!privateZone) return false;
        String tagged = tags.get(EnvironmentSpec.TAG_ENVIRONMENT);
        if (tagged != null) return tagged.equals(environment);
        return comment != null && comment.equals(marker(environment));
    }
}
