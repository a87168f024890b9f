package dev.pipeline.deploy.bake;

import dev.pipeline.provision.image.ImageView;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Which AMI a release bake is about, given the environment's images: pure, no AWS. */
final class ReleaseImages {
    static final Set<String> WAITING = Set.of("pending", "transient");
    static final Set<String> BROKEN = Set.of("failed", "error", "invalid");
    private static final Map<String, Integer> PREFERENCE = Map.of("available", 0, "pending", 1, "transient", 1,
            "failed", 2, "error", 2, "invalid", 2);

    private ReleaseImages() {}

    /**
     * This release's own image (tagged with its release id), in the most useful state: available, then being made,
     * then broken; of several in one state the newest. Deregistered images are as good as absent.
     */
    static Optional<ImageView> own(List<ImageView> releaseImages, String releaseId) {
        return releaseImages.stream()
                .filter(i -> releaseId.equals(i.tags().get(ReleaseTags.RELEASE)) && PREFERENCE.containsKey(i.state()))
                .min(Comparator.<ImageView>comparingInt(i -> PREFERENCE.get(i.state())).thenComparing(NEWEST_FIRST));
    }

    /**
     * The bake key: an available image of the same WAR (sha256) baked on the same golden image, from any release.
     * Same bytes on the same base make the same machine, so there is nothing to bake.
     */
    static Optional<ImageView> reusable(List<ImageView> releaseImages, String sha256, String baseImageId) {
        return releaseImages.stream()
                .filter(i -> "available".equals(i.state())
                        && sha256.equals(i.tags().get(ReleaseTags.ARTIFACT_SHA256))
                        && baseImageId.equals(i.tags().get(ReleaseTags.BASE_AMI)))
                .min(NEWEST_FIRST);
    }

    /** The newest available golden image. */
    static Optional<ImageView> golden(List<ImageView> goldenImages) {
        return goldenImages.stream().filter(i -> "available".equals(i.state())).min(NEWEST_FIRST);
    }

    /**
     * {@code <env>-release-<first 12 of the sha256>-<16 hex of sha256(releaseId)>}: unique per release (AWS refuses a
     * second image of that name, so two concurrent calls of one release cannot both bake), readable, and within AMI
     * names' 128 characters and character set (release ids hold '#' and ':', which AMI names do not allow).
     */
    static String name(String environment, String sha256, String releaseId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(releaseId.getBytes(StandardCharsets.UTF_8));
            return environment + "-release-" + sha256.substring(0, 12) + "-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Comparator<ImageView> NEWEST_FIRST = Comparator
            .comparing((ImageView i) -> i.creationDate() == null ? "" : i.creationDate()).reversed()
            .thenComparing(ImageView::id, Comparator.reverseOrder());
}
