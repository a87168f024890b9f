package dev.pipeline.deploy.prune;

import dev.pipeline.provision.image.ImageGateway;
import dev.pipeline.provision.image.ImageView;

import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.deploy.release.ReleaseStore;
import dev.pipeline.deploy.rollout.RefreshGateway;
import dev.pipeline.deploy.rollout.ReleaseTemplateGateway;
import dev.pipeline.deploy.rollout.TemplateVersion;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PruneImages: deregisters the environment's release AMIs nobody needs and deletes their snapshots. Kept: the AMIs of
 * the newest {@code keep} successful releases (distinct AMIs: a rollback reuses one), every AMI the group's launch
 * template version, the template's default version, this run's new version or the group's instances use, and any
 * image not available yet. Golden AMIs are never candidates. Converges: a second run finds nothing to do, and
 * deletes the snapshots a crashed earlier run left behind (tagged, and used by no image).
 */
public class PruneImagesService {
    public static final String RELEASE_COMPONENT = "release-ami";
    static final String GOLDEN_COMPONENT = "golden-ami";
    /** How far back successful releases are looked for. */
    static final int HISTORY = 500;

    private final ImageGateway ec2;
    private final ReleaseTemplateGateway templates;
    private final RefreshGateway groups;
    private final ReleaseStore releases;
    private final int keep;

    public PruneImagesService(ImageGateway ec2, ReleaseTemplateGateway templates, RefreshGateway groups,
                              ReleaseStore releases, int keep) {
        if (keep < 1) throw new IllegalArgumentException("KEEP_RELEASES must be at least 1 (the live release), got " + keep);
        this.ec2 = ec2;
        this.templates = templates;
        this.groups = groups;
        this.releases = releases;
        this.keep = keep;
    }

    public PruneImagesOutput prune(PruneImagesInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        String env = spec.name();
        Set<String> needed = new LinkedHashSet<>(newestReleaseImages(env));
        needed.addAll(inUse(spec.resourceName(Role.APP.key()), input.releaseVersion()));

        List<String> kept = new ArrayList<>(), deregistered = new ArrayList<>();
        Set<String> snapshots = new LinkedHashSet<>();
        for (ImageView image : ec2.imagesTagged(env, RELEASE_COMPONENT)) {
            boolean golden = GOLDEN_COMPONENT.equals(image.tags().get(EnvironmentSpec.TAG_COMPONENT));
            if (golden || "deregistered".equals(image.state())) continue;
            // pending: a bake in flight (or an image still being made); never take it away
            if (needed.contains(image.id()) || !"available".equals(image.state())) {
                kept.add(image.id());
                continue;
            }
            if (ec2.deregister(image.id())) deregistered.add(image.id());
            snapshots.addAll(image.snapshotIds());
        }
        // snapshots an earlier run left when it stopped between deregistering and deleting: tagged, used by no image
        Set<String> used = new LinkedHashSet<>();
        ec2.imagesTagged(env, null).stream().filter(i -> !deregistered.contains(i.id())).forEach(i -> used.addAll(i.snapshotIds()));
        ec2.snapshotsTagged(env, RELEASE_COMPONENT).stream().filter(s -> !used.contains(s)).forEach(snapshots::add);

        List<String> deleted = new ArrayList<>(), inUse = new ArrayList<>();
        for (String snapshot : snapshots) {
            switch (ec2.deleteSnapshot(snapshot)) {
                case DELETED -> deleted.add(snapshot);
                case ALREADY_GONE -> { }
                case IN_USE -> inUse.add(snapshot);
            }
        }
        String summary = "kept " + kept.size() + " release AMI(s) (newest " + keep + " successful releases and those in use)"
                + (deregistered.isEmpty() ? "; nothing to prune" : "; deregistered " + String.join(", ", deregistered))
                + (deleted.isEmpty() ? "" : "; deleted " + deleted.size() + " snapshot(s)")
                + (inUse.isEmpty() ? "" : "; kept snapshot(s) another image uses: " + String.join(", ", inUse));
        return new PruneImagesOutput(kept, deregistered, deleted, inUse, summary);
    }

    /** The distinct AMIs of the newest successful releases, newest first, at most {@code keep}. */
    private List<String> newestReleaseImages(String env) {
        return releases.list(env, HISTORY).stream().filter(r -> r.status() == ReleaseStatus.SUCCEEDED)
                .map(Release::ami).filter(a -> a != null && !a.isBlank()).distinct().limit(keep).toList();
    }

    /** AMIs the fleet may launch or roll back to: the group's version, the default, this run's, the instances' own. */
    private Set<String> inUse(String name, PruneImagesInput.ReleaseVersion made) {
        Set<String> images = new LinkedHashSet<>();
        if (made != null) {
            if (made.imageId() != null) images.add(made.imageId());
            if (made.previousImageId() != null) images.add(made.previousImageId());
        }
        Optional<ReleaseTemplateGateway.Template> template = templates.template(name);
        Optional<RefreshGateway.Group> group = groups.group(name);
        if (template.isPresent()) {
            List<TemplateVersion> versions = templates.versions(template.get().id());
            long latest = versions.stream().mapToLong(TemplateVersion::number).max().orElse(0);
            Set<Long> numbers = new LinkedHashSet<>(List.of(template.get().defaultVersion()));
            if (made != null && made.version() != null) numbers.add(made.version());
            if (made != null && made.previousVersion() != null) numbers.add(made.previousVersion());
            group.filter(g -> template.get().id().equals(g.launchTemplateId())).map(RefreshGateway.Group::launchTemplateVersion)
                    .ifPresent(v -> numbers.add(switch (v) {
                        case "$Latest" -> latest;
                        case "$Default" -> template.get().defaultVersion();
                        default -> v.matches("[0-9]{1,18}") ? Long.parseLong(v) : template.get().defaultVersion();
                    }));
            versions.stream().filter(v -> numbers.contains(v.number()) && v.imageId() != null).forEach(v -> images.add(v.imageId()));
        }
        group.ifPresent(g -> images.addAll(templates.imagesOf(g.inServiceIds()).values()));
        return images;
    }
}
