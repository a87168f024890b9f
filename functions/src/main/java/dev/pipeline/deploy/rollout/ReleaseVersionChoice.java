package dev.pipeline.deploy.rollout;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether a release needs a new launch template version: an existing version newer than the group's that already
 * launches the release's image is reused (a retried Lambda, or a redeploy of a release that was rolled back), so
 * a release never makes two versions.
 */
public record ReleaseVersionChoice(Optional<TemplateVersion> reuse, boolean alreadyRunning) {

    public static ReleaseVersionChoice choose(TemplateVersion running, List<TemplateVersion> versions, String imageId) {
        if (imageId.equals(running.imageId())) return new ReleaseVersionChoice(Optional.of(running), true);
        Optional<TemplateVersion> newer = versions.stream()
                .filter(v -> v.number() > running.number() && imageId.equals(v.imageId()))
                .max(Comparator.comparingLong(TemplateVersion::number));
        return new ReleaseVersionChoice(newer, false);
    }

    /** The VersionDescription naming a release (launch template versions cannot be tagged). */
    public static String description(String releaseId, String imageId) {
        return "release:" + (releaseId == null || releaseId.isBlank() ? imageId : releaseId);
    }

    /** A group's launch template version as a number; $Latest/$Default (or none) cannot be rolled back to. */
    public static Optional<Long> numbered(String groupVersion) {
        if (groupVersion == null || !groupVersion.matches("[1-9][0-9]{0,18}")) return Optional.empty();
        return Optional.of(Long.parseLong(groupVersion));
    }
}
