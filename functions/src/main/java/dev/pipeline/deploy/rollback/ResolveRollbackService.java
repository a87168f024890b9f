package dev.pipeline.deploy.rollback;

import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseIds;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.deploy.release.ReleaseStore;
import dev.pipeline.deploy.release.Upload;
import dev.pipeline.deploy.release.UploadInput;
import dev.pipeline.functions.StageFailedException;

import java.util.List;
import java.util.Optional;

/**
 * ResolveRollback: which recorded release a rollback puts back, and its AMI, with no bake. The target is the release
 * asked for, or the newest SUCCEEDED release older than the live one (the newest SUCCEEDED) whose AMI differs from
 * the live one. Refuses, naming why, a release that is unknown, did not succeed, or whose AMI is gone. Reads only.
 */
public class ResolveRollbackService {
    /** How far back the default target is looked for. */
    static final int HISTORY = 200;

    private final ReleaseStore releases;
    private final RollbackImageGateway images;
    private final String environment;

    public ResolveRollbackService(ReleaseStore releases, RollbackImageGateway images, String environment) {
        this.releases = releases;
        this.images = images;
        this.environment = environment;
    }

    public ResolveRollbackOutput resolve(ResolveRollbackInput input) {
        Upload run = UploadInput.require(input.upload());
        Release target = input.rollbackTo() == null || input.rollbackTo().isBlank() ? previous() : named(input.rollbackTo());
        if (target.ami() == null) {
            throw new StageFailedException("release " + target.releaseId() + " recorded no AMI, so it cannot be rolled back to");
        }
        Optional<String> state = images.imageState(target.ami());
        if (state.isEmpty() || !state.get().equals("available")) {
            throw new StageFailedException("the AMI " + target.ami() + " of release " + target.releaseId() + " is "
                    + state.map(s -> s + ", not available").orElse("gone (deregistered, e.g. pruned)")
                    + "; roll back to a newer release, or upload its WAR again");
        }
        // a rollback to a rollback puts back the release that one restored
        String restored = target.rollbackOf() != null ? target.rollbackOf() : target.releaseId();
        return new ResolveRollbackOutput(true, ReleaseIds.of(run), target.ami(), restored, target.key(), target.versionId(),
                target.sha256(), "rolling back to release " + target.releaseId() + " (" + (target.key() == null ? "" : target.key() + ", ")
                + target.ami() + ") with no bake");
    }

    private Release named(String releaseId) {
        Release r = releases.get(environment, releaseId).orElseThrow(() -> new StageFailedException("release " + releaseId
                + " is not in the release history of " + environment + " (./pipeline status lists the releases)"));
        if (r.status() != ReleaseStatus.SUCCEEDED) {
            throw new StageFailedException("release " + releaseId + " ended " + r.status()
                    + (r.reason() == null ? "" : " (" + r.reason() + ")") + "; only a SUCCEEDED release can be rolled back to");
        }
        return r;
    }

    private Release previous() {
        List<Release> succeeded = releases.list(environment, HISTORY).stream()
                .filter(r -> r.status() == ReleaseStatus.SUCCEEDED).toList();
        if (succeeded.isEmpty()) {
            throw new StageFailedException("no release of " + environment + " has succeeded yet: there is nothing to roll back to");
        }
        Release live = succeeded.getFirst();
        return succeeded.stream().skip(1).filter(r -> r.ami() != null && !r.ami().equals(live.ami())).findFirst()
                .orElseThrow(() -> new StageFailedException("release " + live.releaseId() + " is the only successful release of "
                        + environment + " with its AMI: there is no earlier release to roll back to"));
    }
}
