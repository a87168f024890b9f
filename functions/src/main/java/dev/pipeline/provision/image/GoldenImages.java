package dev.pipeline.provision.image;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What to do about the golden image, given the environment's golden-ami images: pure, no AWS. */
final class GoldenImages {
    static final Set<String> WAITING = Set.of("pending", "transient");
    static final Set<String> BROKEN = Set.of("failed", "error", "invalid");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private GoldenImages() {}

    /** The next step. */
    sealed interface Decision {}

    /** An image is available: use it (and retire app01). */
    record Use(ImageView image) implements Decision {}

    /** An image is being made: wait for it. */
    record Wait(ImageView image) implements Decision {}

    /** The only image failed: remove it and fail the run; the next run bakes again. */
    record Broken(ImageView image) implements Decision {}

    /** No usable image: make one from app01. */
    record Create() implements Decision {}

    /**
     * Available beats pending beats failed; deregistered and disabled images are as good as absent. Of several in
     * the same state (a duplicate from a race on moto, which does not refuse duplicate names), the newest, then the
     * highest id, so every call picks the same one.
     */
    static Decision decide(List<ImageView> images) {
        Optional<ImageView> available = newest(images, Set.of("available"));
        if (available.isPresent()) return new Use(available.get());
        Optional<ImageView> waiting = newest(images, WAITING);
        if (waiting.isPresent()) return new Wait(waiting.get());
        Optional<ImageView> broken = newest(images, BROKEN);
        if (broken.isPresent()) return new Broken(broken.get());
        return new Create();
    }

    /**
     * {@code <env>-golden-<UTC launch time of app01>}. The timestamp is app01's launch time, not the time of the
     * call, so the name is a bake key: two concurrent runs imaging the same app01 ask for the same name and AWS
     * refuses the second (InvalidAMIName.Duplicate). AMI names allow no colons, hence the basic ISO format.
     */
    static String name(String environment, Instant app01LaunchTime) {
        return environment + "-golden-" + STAMP.format(app01LaunchTime);
    }

    private static Optional<ImageView> newest(List<ImageView> images, Set<String> states) {
        return images.stream().filter(i -> states.contains(i.state()))
                .max(Comparator.comparing((ImageView i) -> i.creationDate() == null ? "" : i.creationDate())
                        .thenComparing(ImageView::id));
    }
}
