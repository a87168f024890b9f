package dev.pipeline.deploy.inplace;

import dev.pipeline.deploy.release.ReleaseIds;
import dev.pipeline.deploy.release.UploadInput;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.provision.codedeploy.DeploymentGroupNames;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DeployInPlace: the release onto the running instances with CodeDeploy, before any image is baked. The first call
 * builds the revision bundle ({@link InPlaceRevision}) from the validated WAR version, stores it in the artifact
 * bucket under {@code revisions/}, and creates an in-place deployment to the environment's deployment group (which
 * takes the instances out of the target group batch by batch, per its deployment configuration, and rolls back on
 * failure or on the environment's alarms). Later calls follow it. A failed deployment is followed to the end of
 * the rollback CodeDeploy starts, then reported ROLLED_BACK with the failing instance, lifecycle event, script and
 * log tail.
 *
 * <p>Idempotency keys: the revision key (one per release; a stored revision is reused), and the deployment id carried
 * in {@code $.inPlace}; without one (a retried first call), an active deployment of this revision is followed
 * rather than a second one created.
 */
public class DeployInPlaceService {
    public static final String DEPLOYED = "DEPLOYED";
    public static final String ROLLED_BACK = "ROLLED_BACK";
    /** A rollback that needs no in-place deployment: the instance refresh alone puts the release back. */
    public static final String SKIPPED = "SKIPPED";
    /** The deployment failed and CodeDeploy had nothing to roll back to (the group's first in-place release). */
    public static final String FAILED = "FAILED";
    static final String PREFIX = "revisions/";

    private final InPlaceGateway gateway;
    private final String artifactBucket;
    private final Path scratch;
    private final Clock clock;

    /** @param artifactBucket the environment's artifact bucket, where a rollback finds the release's WAR */
    public DeployInPlaceService(InPlaceGateway gateway, String artifactBucket, Path scratch, Clock clock) {
        this.gateway = gateway;
        this.artifactBucket = artifactBucket;
        this.scratch = scratch;
        this.clock = clock;
    }

    public DeployInPlaceOutput deploy(DeployInPlaceInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        StageInputs.run(input.run());
        UploadInput upload = StageInputs.require(input.upload(), "$.upload", "the deploy's input");
        boolean rollback = DeployInPlaceInput.ROLLBACK_MODE.equals(input.mode());
        var artifact = rollback ? rollbackArtifact(input.release()) : StageInputs.require(input.artifact(), "$.artifact", "ValidateArtifact");
        String releaseId = ReleaseIds.of(new dev.pipeline.deploy.release.Upload(upload.id(),
                java.time.Instant.parse(upload.uploadedAt()), upload.bucket(), upload.key(), upload.versionId()));
        String application = DeploymentGroupNames.application(spec.name());
        String group = DeploymentGroupNames.group(spec.name());
        DeployInPlaceOutput last = input.inPlace();

        if (last == null || last.deploymentId() == null) {
            if (rollback) {
                // CodeDeploy deploys the group's last good revision to every instance Auto Scaling launches: once an
                // in-place release has succeeded, a refresh to an older image would get that newer WAR back. The
                // rollback then goes in place first, as a revision of its own (its release id is the newest, so every
                // image's install hook takes it), and the image follows without a refresh. Without one, the refresh
                // alone puts the release back, as it always did.
                Optional<String> lastGood = gateway.lastSuccessfulDeployment(application, group);
                if (lastGood.isEmpty()) {
                    return new DeployInPlaceOutput(true, null, null, null, null, null, SKIPPED, null, null,
                            "no in-place release ever succeeded on " + application + "/" + group
                                    + ": the rollback goes by instance refresh alone");
                }
            }
            String key = revisionKey(releaseId);
            InPlaceGateway.Stored revision = gateway.stored(artifact.bucket(), key)
                    .orElseGet(() -> build(spec, artifact, releaseId, key));
            List<InPlaceGateway.Deployment> active = gateway.active(application, group);
            Optional<InPlaceGateway.Deployment> ours = active.stream().filter(d -> key.equals(d.revisionKey())).findFirst();
            if (ours.isEmpty() && !active.isEmpty()) {
                throw new StageFailedException("CodeDeploy deployment " + active.getFirst().id() + " (" + active.getFirst().status()
                        + ") is active on the deployment group " + group + "; wait for it to end or stop it, then deploy again");
            }
            // a rollback watches no alarms (as its refresh would not): it runs because something is wrong, and an
            // alarm still in ALARM from the bad release would stop it at once (CreateDeployment overrideAlarmConfiguration)
            String id = ours.map(InPlaceGateway.Deployment::id).orElseGet(() -> create(application, group, revision, releaseId, rollback));
            return new DeployInPlaceOutput(false, key, revision.versionId(), id, "Created", null, null, null, null,
                    "deploying revision s3://" + artifact.bucket() + "/" + key + " in place: CodeDeploy deployment " + id
                            + " to " + application + "/" + group);
        }

        InPlaceGateway.Deployment d = gateway.deployment(last.deploymentId());
        if (!d.terminal()) {
            return waiting(last, d.status(), null, "CodeDeploy deployment " + d.id() + ": " + d.status() + ", "
                    + d.succeeded() + " instance(s) updated, " + d.inProgress() + " in progress, " + d.pending() + " pending");
        }
        if (d.status().equals("Succeeded")) {
            String liveAt = last.liveAt() != null ? last.liveAt() : clock.instant().toString();
            return new DeployInPlaceOutput(true, last.revisionKey(), last.revisionVersionId(), d.id(), d.status(), null,
                    DEPLOYED, null, liveAt, "release " + releaseId + " is live in place on " + d.succeeded()
                    + " instance(s) (CodeDeploy deployment " + d.id() + ")");
        }
        String reason = reason(d);
        if (d.rollbackDeploymentId() != null) {
            InPlaceGateway.Deployment rb = gateway.deployment(d.rollbackDeploymentId());
            if (!rb.terminal()) {
                return waiting(last, d.status(), rb.id(), "CodeDeploy deployment " + d.id() + " " + d.status()
                        + "; rollback deployment " + rb.id() + ": " + rb.status());
            }
            String rolledBack = rb.status().equals("Succeeded")
                    ? "CodeDeploy rolled back to the last good revision (deployment " + rb.id() + " Succeeded)"
                    : "CodeDeploy's rollback deployment " + rb.id() + " ended " + rb.status() + ": the instances may run a mix of revisions";
            return new DeployInPlaceOutput(true, last.revisionKey(), last.revisionVersionId(), d.id(), d.status(), rb.id(),
                    ROLLED_BACK, reason + "; " + rolledBack, null, reason + "; " + rolledBack);
        }
        // the group's first in-place release: no earlier revision to go back to. The instances it failed on are left
        // out of the target group (their AllowTraffic never ran) with the new WAR; the others still serve their image's
        String none = (d.rollbackMessage() != null && !d.rollbackMessage().isBlank() ? d.rollbackMessage()
                : "CodeDeploy started no rollback") + "; no earlier in-place release succeeded on this group, so the instances it"
                + " failed on stay out of the target group with this release until the next release or ./pipeline rollback"
                + " (an instance refresh back to the live release's image)";
        return new DeployInPlaceOutput(true, last.revisionKey(), last.revisionVersionId(), d.id(), d.status(), null,
                FAILED, reason + "; " + none, null, reason + "; " + none);
    }

    /** The rolled-back-to release's WAR, as ResolveRollback names it, in the artifact bucket. */
    private DeployInPlaceInput.Artifact rollbackArtifact(DeployInPlaceInput.Rollback r) {
        StageInputs.require(r, "$.release", "ResolveRollback");
        return new DeployInPlaceInput.Artifact(artifactBucket, StageInputs.require(r.key(), "$.release.key", "ResolveRollback"),
                r.versionId(), StageInputs.require(r.sha256(), "$.release.sha256", "ResolveRollback"));
    }

    static String revisionKey(String releaseId) {
        // release ids hold '#' and ':'; the key keeps to characters S3 documents as safe
        return PREFIX + releaseId.replaceAll("[^A-Za-z0-9._-]", "_") + ".zip";
    }

    private DeployInPlaceOutput waiting(DeployInPlaceOutput last, String status, String rollbackId, String summary) {
        return new DeployInPlaceOutput(false, last.revisionKey(), last.revisionVersionId(), last.deploymentId(), status,
                rollbackId, null, null, null, summary);
    }

    private String create(String application, String group, InPlaceGateway.Stored revision, String releaseId, boolean rollback) {
        try {
            return gateway.create(application, group, revision, "war-pipeline " + (rollback ? "rollback " : "release ") + releaseId, rollback);
        } catch (software.amazon.awssdk.services.codedeploy.model.DeploymentGroupDoesNotExistException
                 | software.amazon.awssdk.services.codedeploy.model.ApplicationDoesNotExistException e) {
            throw new StageFailedException("the environment has no CodeDeploy deployment group " + application + "/" + group
                    + " for in-place releases; provision the environment again (it creates one), or deploy with the bake strategy: "
                    + e.awsErrorDetails().errorMessage(), e);
        }
    }

    private InPlaceGateway.Stored build(EnvironmentSpec spec, DeployInPlaceInput.Artifact artifact, String releaseId, String key) {
        Map<String, String> files = InPlaceRevision.files(artifact.sha256(), spec.loadBalancer().healthCheck(), Role.APP.port(), releaseId);
        Path bundle = null;
        try {
            Files.createDirectories(scratch);
            bundle = Files.createTempFile(scratch, "revision", ".zip");
            try (InputStream war = gateway.open(artifact.bucket(), artifact.key(), artifact.versionId());
                 OutputStream out = Files.newOutputStream(bundle)) {
                InPlaceRevision.write(out, files, war);
            }
            return gateway.put(artifact.bucket(), key, bundle, artifact.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("building the revision of release " + releaseId + " failed", e);
        } finally {
            if (bundle != null) {
                try { Files.deleteIfExists(bundle); } catch (IOException e) { /* /tmp is the function's own */ }
            }
        }
    }

    /** The deployment's error, and for each failed instance its event, script and log tail. */
    private String reason(InPlaceGateway.Deployment d) {
        StringBuilder b = new StringBuilder("CodeDeploy deployment " + d.id() + " " + d.status());
        if (d.errorMessage() != null) b.append(" (").append(d.errorCode()).append(": ").append(d.errorMessage()).append(')');
        for (InPlaceGateway.FailedEvent f : gateway.failures(d.id())) {
            b.append("; on ").append(f.instanceId()).append(", ").append(f.event());
            if (f.scriptName() != null) b.append(" script ").append(f.scriptName());
            if (f.message() != null) b.append(": ").append(f.message());
            if (f.logTail() != null && !f.logTail().isBlank()) b.append(" — log tail: ").append(tail(f.logTail()));
        }
        return b.toString();
    }

    /** CodeDeploy keeps the last 4 KB of a script's output; the release record keeps the last few lines. */
    static String tail(String log) {
        String[] lines = log.strip().split("\n");
        int from = Math.max(0, lines.length - 5);
        String t = String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
        return t.length() > 800 ? t.substring(t.length() - 800) : t;
    }
}
