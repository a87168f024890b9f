package dev.pipeline.deploy.inplace;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.BundleType;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import software.amazon.awssdk.services.codedeploy.model.FileExistsBehavior;
import software.amazon.awssdk.services.codedeploy.model.InstanceTarget;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** S3 (the WAR in, the revision out) and CodeDeploy (deployments of the environment's deployment group). */
public class InPlaceGateway {
    /** A revision stored in the artifact bucket. */
    public record Stored(String bucket, String key, String versionId, String eTag) {}

    /** A deployment as GetDeployment gives it: the parts this stage acts on. */
    public record Deployment(String id, String status, String revisionKey, String errorCode, String errorMessage,
                             String rollbackDeploymentId, String rollbackMessage, long succeeded, long failed, long pending,
                             long inProgress) {
        public boolean terminal() {
            return status.equals("Succeeded") || status.equals("Failed") || status.equals("Stopped");
        }
    }

    /** A lifecycle event of an instance target that did not succeed, with CodeDeploy's diagnostics. */
    public record FailedEvent(String instanceId, String event, String scriptName, String errorCode, String message, String logTail) {}

    private final S3Client s3;
    private final CodeDeployClient codeDeploy;

    public InPlaceGateway(S3Client s3, CodeDeployClient codeDeploy) {
        this.s3 = s3;
        this.codeDeploy = codeDeploy;
    }

    /** The current version of {@code key}, when it exists. */
    public Optional<Stored> stored(String bucket, String key) {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new Stored(bucket, key, r.versionId(), r.eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw e;
        }
    }

    /** Opens version {@code versionId} of the WAR. */
    public InputStream open(String bucket, String key, String versionId) {
        return s3.getObject(b -> b.bucket(bucket).key(key).versionId(versionId));
    }

    public Stored put(String bucket, String key, Path file, String sha256) {
        var r = s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/zip")
                .metadata(java.util.Map.of("war-sha256", sha256)), RequestBody.fromFile(file));
        return new Stored(bucket, key, r.versionId(), r.eTag());
    }

    /**
     * The deployments of the group that have not ended (CodeDeploy runs one at a time per deployment group; a second
     * CreateDeployment meanwhile is refused with DeploymentLimitExceededException).
     */
    public List<Deployment> active(String application, String group) {
        List<String> ids = new ArrayList<>();
        codeDeploy.listDeploymentsPaginator(b -> b.applicationName(application).deploymentGroupName(group)
                        .includeOnlyStatuses(DeploymentStatus.CREATED, DeploymentStatus.QUEUED, DeploymentStatus.IN_PROGRESS,
                                DeploymentStatus.READY, DeploymentStatus.BAKING))
                .deployments().forEach(ids::add);
        return ids.stream().map(this::deployment).toList();
    }

    /** The group's last successful deployment, if any (GetDeploymentGroup's lastSuccessfulDeployment); empty without a group. */
    public Optional<String> lastSuccessfulDeployment(String application, String group) {
        try {
            var g = codeDeploy.getDeploymentGroup(b -> b.applicationName(application).deploymentGroupName(group)).deploymentGroupInfo();
            return Optional.ofNullable(g.lastSuccessfulDeployment()).map(l -> l.deploymentId()).filter(id -> !id.isBlank());
        } catch (software.amazon.awssdk.services.codedeploy.model.DeploymentGroupDoesNotExistException
                 | software.amazon.awssdk.services.codedeploy.model.ApplicationDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /** @param ignoreAlarms a deployment that watches none of the group's alarms (overrideAlarmConfiguration disabled) */
    public String create(String application, String group, Stored revision, String description, boolean ignoreAlarms) {
        return codeDeploy.createDeployment(b -> b.applicationName(application).deploymentGroupName(group)
                .description(description)
                .overrideAlarmConfiguration(ignoreAlarms ? software.amazon.awssdk.services.codedeploy.model.AlarmConfiguration.builder()
                        .enabled(false).build() : null)
                // a file the last revision did not put there (e.g. a WAR staged by hand) is replaced, not a failure
                .fileExistsBehavior(FileExistsBehavior.OVERWRITE)
                .revision(r -> r.revisionType(RevisionLocationType.S3).s3Location(s -> s.bucket(revision.bucket())
                        .key(revision.key()).version(revision.versionId()).eTag(revision.eTag()).bundleType(BundleType.ZIP))))
                .deploymentId();
    }

    public Deployment deployment(String id) {
        DeploymentInfo d = codeDeploy.getDeployment(b -> b.deploymentId(id)).deploymentInfo();
        var s3 = d.revision() == null ? null : d.revision().s3Location();
        var o = d.deploymentOverview();
        return new Deployment(d.deploymentId(), d.statusAsString(), s3 == null ? null : s3.key(),
                d.errorInformation() == null ? null : d.errorInformation().codeAsString(),
                d.errorInformation() == null ? null : d.errorInformation().message(),
                d.rollbackInfo() == null ? null : d.rollbackInfo().rollbackDeploymentId(),
                d.rollbackInfo() == null ? null : d.rollbackInfo().rollbackMessage(),
                o == null ? 0 : o.succeeded(), o == null ? 0 : o.failed(), o == null ? 0 : o.pending(), o == null ? 0 : o.inProgress());
    }

    /** The failed lifecycle events of the deployment's failed instances (first failing event per instance). */
    public List<FailedEvent> failures(String deploymentId) {
        List<String> targets = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            var page = codeDeploy.listDeploymentTargets(b -> b.deploymentId(deploymentId).nextToken(token));
            targets.addAll(page.targetIds());
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        List<FailedEvent> out = new ArrayList<>();
        for (String id : targets) {
            InstanceTarget t = codeDeploy.getDeploymentTarget(b -> b.deploymentId(deploymentId).targetId(id))
                    .deploymentTarget().instanceTarget();
            if (t == null || !"Failed".equals(t.statusAsString())) continue;
            t.lifecycleEvents().stream().filter(e -> "Failed".equals(e.statusAsString())).findFirst().ifPresent(e ->
                    out.add(new FailedEvent(t.targetId(), e.lifecycleEventName(),
                            e.diagnostics() == null ? null : e.diagnostics().scriptName(),
                            e.diagnostics() == null ? null : e.diagnostics().errorCodeAsString(),
                            e.diagnostics() == null ? null : e.diagnostics().message(),
                            e.diagnostics() == null ? null : e.diagnostics().logTail())));
        }
        return out;
    }
}
