package dev.pipeline.provision.fleet;

import dev.pipeline.spec.EnvironmentSpec;

import java.util.Optional;

/**
 * Which AMI the launch template should hold. Normally the golden image; but once the deploy workflow has rolled
 * out a release (a newer AMI baked from the golden one, tagged {@code pipeline:component=release-ami}) and made
 * its version the default, re-running provisioning must not put the golden image back: the next scale-out would
 * launch yesterday's application next to today's.
 *
 * @param keptRelease true when {@code imageId} is the deployed release, not the golden image
 */
public record ImageChoice(String imageId, boolean keptRelease) {

    public static final String RELEASE_COMPONENT = "release-ami";

    /**
     * @param golden  the golden image ({@code $.goldenImage.imageId})
     * @param current the default version's image, if it still exists
     */
    public static ImageChoice choose(String environment, ImageView golden, Optional<ImageView> current) {
        if (current.isPresent()) {
            ImageView c = current.get();
            boolean release = RELEASE_COMPONENT.equals(c.tags().get(EnvironmentSpec.TAG_COMPONENT))
                    && environment.equals(c.tags().get(EnvironmentSpec.TAG_ENVIRONMENT));
            // "Not older" rather than "newer": a release is baked from the golden image, and CreationDate has
            // one-second resolution, so the two can share a timestamp. A release older than the golden image
            // predates a rebuild of the environment and is stale.
            boolean notOlder = c.creationDate() == null || golden.creationDate() == null
                    || !c.creationDate().isBefore(golden.creationDate());
            if (!c.imageId().equals(golden.imageId()) && release && notOlder) {
                return new ImageChoice(c.imageId(), true);
            }
        }
        return new ImageChoice(golden.imageId(), false);
    }
}
