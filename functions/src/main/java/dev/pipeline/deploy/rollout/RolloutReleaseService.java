package dev.pipeline.deploy.rollout;

import dev.pipeline.functions.RetryableException;
import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.StageInputs;
import dev.pipeline.provision.alarms.AlarmGateway;
import dev.pipeline.provision.alarms.EnvironmentAlarms;
import dev.pipeline.spec.Deployment;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * RolloutRelease: moves the group to the release's numbered launch template version with an instance refresh
 * (SkipMatching, AutoRollback, the environment's alarms and a BakeTime) and reports its progress until it ends. A
 * rollback run ({@code ./pipeline rollback}) passes no alarms: it is started because something is wrong, and an alarm
 * still in ALARM from the bad release would fail it at once. Success makes that version the template's
 * default; anything else is checked (group on the previous version, every instance on its AMI), finished by a
 * refresh back to the previous version when AWS left it incomplete, and reported ROLLED_BACK with the reason.
 * Idempotency key: the refresh id carried in {@code $.rollout}; without one, an active refresh of this version,
 * or one started during this run, is followed instead of starting another.
 */
public class RolloutReleaseService {
    public static final String DEPLOYED = "DEPLOYED";
    public static final String ROLLED_BACK = "ROLLED_BACK";

    private final ReleaseTemplateGateway ec2;
    private final RefreshGateway autoScaling;
    private final AlarmGateway alarms;
    private final Clock clock;

    public RolloutReleaseService(ReleaseTemplateGateway ec2, RefreshGateway autoScaling, AlarmGateway alarms) {
        this(ec2, autoScaling, alarms, Clock.systemUTC());
    }

    public RolloutReleaseService(ReleaseTemplateGateway ec2, RefreshGateway autoScaling, AlarmGateway alarms, Clock clock) {
        this.ec2 = ec2;
        this.autoScaling = autoScaling;
        this.alarms = alarms;
        this.clock = clock;
    }

    /** The release being rolled out, from the workflow state; {@code alarms} those its refresh watches. */
    private record Target(String group, String templateId, long version, long previous, Deployment deployment,
                          List<String> alarms, Run run) {
    }

    public RolloutReleaseOutput rollout(RolloutReleaseInput input) {
        EnvironmentSpec spec = StageInputs.spec(input.spec());
        Run run = StageInputs.run(input.run());
        var rv = StageInputs.require(input.releaseVersion(), "$.releaseVersion", "CreateReleaseVersion");
        Target t = new Target(spec.resourceName(Role.APP.key()),
                StageInputs.require(rv.launchTemplateId(), "$.releaseVersion.launchTemplateId", "CreateReleaseVersion"),
                StageInputs.require(rv.version(), "$.releaseVersion.version", "CreateReleaseVersion"),
                StageInputs.require(rv.previousVersion(), "$.releaseVersion.previousVersion", "CreateReleaseVersion"),
                spec.deployment(),
                RolloutReleaseInput.ROLLBACK_MODE.equals(input.mode()) ? List.of() : EnvironmentAlarms.names(spec), run);
        String refreshId = input.rollout() == null ? null : input.rollout().instanceRefreshId();
        String rollbackId = input.rollout() == null ? null : input.rollout().rollbackRefreshId();

        if (input.inPlace() != null && input.inPlace().live()) {
            // CodeDeploy already put the release on every instance: the image only has to follow, for instances that
            // are launched from now on. No refresh (it would replace instances that run the release already).
            if (t.version() != t.previous()) autoScaling.setGroupVersion(t.group(), t.templateId(), t.version());
            ensureDefault(t, t.version());
            return new RolloutReleaseOutput(true, "InPlace", 100, null, null, DEPLOYED, null,
                    "the release went live in place (CodeDeploy deployment " + input.inPlace().deploymentId()
                            + "); launch template version " + t.version() + " with its image is now the default and the group "
                            + t.group() + "'s version, without an instance refresh");
        }
        if (t.version() == t.previous()) {
            // CreateReleaseVersion found the group already on this image: nothing to replace.
            ensureDefault(t, t.version());
            return new RolloutReleaseOutput(true, "Successful", 100, null, null, DEPLOYED, null,
                    "the group " + t.group() + " already runs version " + t.version() + "; no refresh needed");
        }

        List<Refresh> refreshes = autoScaling.refreshes(t.group());
        if (rollbackId != null) {
            Refresh rb = byId(refreshes, rollbackId, t.group());
            if (!rb.terminal()) {
                run.checkDeadline("the rollback refresh " + rollbackId + " of " + t.group());
                return RolloutReleaseOutput.waiting(rb, refreshId, rollbackId,
                        "finishing the rollback to version " + t.previous() + ": " + rb.status() + " " + rb.percentage() + "%");
            }
            return verifyRollback(t, reason(t, byId(refreshes, refreshId, t.group())), refreshId, rollbackId);
        }

        Refresh r;
        if (refreshId == null) {
            Optional<Instant> started = Optional.ofNullable(run.startedAt()).map(Instant::parse);
            switch (RefreshStart.decide(refreshes, t.templateId(), t.version(), started)) {
                case RefreshStart.Follow f -> r = f.refresh();
                case RefreshStart.Conflict c -> throw new StageFailedException("another instance refresh (" + c.refresh().id()
                        + ", " + c.refresh().status() + ", to launch template version " + c.refresh().desiredVersion()
                        + ") is active on the Auto Scaling group " + t.group() + "; wait for it to end or cancel it, then deploy again");
                case RefreshStart.Start s -> {
                    String id = start(t, t.version(), true);
                    return new RolloutReleaseOutput(false, "Pending", 0, id, null, null, null,
                            "started instance refresh " + id + " of " + t.group() + " to launch template version " + t.version());
                }
            }
        } else {
            r = byId(refreshes, refreshId, t.group());
        }

        if (!r.terminal()) {
            // No run-wide deadline here: failing the stage would leave the refresh running behind a released lock, and
            // the next deploy would meet "an instance refresh is in progress". Past the deadline the spec implies, the
            // refresh is cancelled, and this stage keeps the lock and goes on reporting until the refresh has ended;
            // the rollback check below then returns the fleet to the previous version.
            long deadline = RefreshDeadline.seconds(spec);
            Instant began = r.startTime() != null ? r.startTime() : run.startedAt() == null ? null : Instant.parse(run.startedAt());
            if (began != null && clock.instant().isAfter(began.plusSeconds(deadline)) && !"Cancelling".equals(r.status())
                    && !r.status().startsWith("Rollback")) {
                autoScaling.cancel(t.group());
                return RolloutReleaseOutput.waiting(r, r.id(), null, "instance refresh " + r.id() + " passed its deadline of "
                        + deadline + " s (from the spec's fleet, health check and warm-up) at " + r.percentage()
                        + "%: cancelled it; waiting for it to stop, then the fleet goes back to version " + t.previous());
            }
            return RolloutReleaseOutput.waiting(r, r.id(), null, "instance refresh " + r.id() + ": " + r.status() + " " + r.percentage() + "%");
        }
        if (r.successful()) {
            ensureDefault(t, t.version());
            return new RolloutReleaseOutput(true, r.status(), r.percentage(), r.id(), null, DEPLOYED, null,
                    "the group " + t.group() + " runs launch template version " + t.version() + ", now the template's default");
        }
        return verifyRollback(t, reason(t, r), r.id(), null);
    }

    /**
     * The refresh did not succeed: confirm the fleet is back where it was, or finish the rollback. Once a
     * finishing refresh of ours has ended and the fleet is still not back, the stage fails saying what is wrong.
     */
    private RolloutReleaseOutput verifyRollback(Target t, String reason, String refreshId, String rollbackId) {
        RefreshGateway.Group group = autoScaling.group(t.group()).orElseThrow(() -> new StageFailedException(
                "the Auto Scaling group " + t.group() + " disappeared during the release"));
        String previousImage = ec2.version(t.templateId(), t.previous()).map(TemplateVersion::imageId).orElseThrow(() ->
                new StageFailedException("launch template version " + t.previous() + " of " + t.group()
                        + " (the rollback target) no longer exists; the fleet cannot be returned to it"));
        RollbackCheck check = RollbackCheck.of(group.launchTemplateVersion(), t.previous(), previousImage,
                ec2.imagesOf(group.inServiceIds()));
        ensureDefault(t, t.previous());
        if (check.complete()) {
            String how = rollbackId == null ? "" : " (the pipeline finished the rollback with refresh " + rollbackId + ")";
            return new RolloutReleaseOutput(true, "RolledBack", 0, refreshId, rollbackId, ROLLED_BACK, reason,
                    "the group " + t.group() + " is back on launch template version " + t.previous() + " with every instance on "
                            + previousImage + how);
        }
        if (rollbackId != null) {
            throw new StageFailedException(reason + "; the rollback to launch template version " + t.previous()
                    + " is still incomplete after refresh " + rollbackId + ": " + check.problems());
        }
        if (!check.groupOnPrevious()) {
            autoScaling.setGroupVersion(t.group(), t.templateId(), t.previous());
        }
        if (check.strayInstances().isEmpty()) {
            return new RolloutReleaseOutput(true, "RolledBack", 0, refreshId, null, ROLLED_BACK, reason,
                    "the group " + t.group() + " was pointed back at launch template version " + t.previous()
                            + "; every instance already ran " + previousImage);
        }
        String id = start(t, t.previous(), false);
        return new RolloutReleaseOutput(false, "Pending", 0, refreshId, id, null, reason,
                "the rollback was incomplete (" + check.problems() + "); started refresh " + id + " back to version " + t.previous());
    }

    private String start(Target t, long version, boolean autoRollback) {
        try {
            // the refresh that finishes a rollback (autoRollback false) watches no alarms: they may still be in ALARM
            return autoScaling.start(t.group(), t.templateId(), version, t.deployment(),
                    autoRollback ? t.alarms() : List.of(), autoRollback);
        } catch (RefreshGateway.RefreshInProgress e) {
            // Started between our describe and this call (a concurrent retry of this stage, or someone else):
            // the next attempt follows it if it is ours and fails naming it if not.
            throw new RetryableException("an instance refresh became active on " + t.group() + " meanwhile: " + e.getMessage(), e);
        }
    }

    private void ensureDefault(Target t, long version) {
        ReleaseTemplateGateway.Template template = ec2.template(t.group()).orElseThrow(() -> new StageFailedException(
                "the launch template " + t.group() + " disappeared during the release"));
        if (template.defaultVersion() != version) ec2.setDefaultVersion(t.templateId(), version);
    }

    private static Refresh byId(List<Refresh> refreshes, String id, String group) {
        return refreshes.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new StageFailedException(
                "the instance refresh " + id + " of " + group + " is not listed by Auto Scaling any more"));
    }

    static String reason(Refresh r) {
        return "instance refresh " + r.id() + " ended " + r.status()
                + (r.statusReason() == null || r.statusReason().isBlank() ? "" : ": " + r.statusReason());
    }

    /**
     * Why the refresh did not succeed, naming the alarms that rolled it back: those its StatusReason names, and
     * those in ALARM now (AWS does not document the StatusReason's wording, so both are asked).
     */
    private String reason(Target t, Refresh r) {
        String base = reason(r);
        if (t.alarms().isEmpty()) return base;
        List<String> named = new java.util.ArrayList<>();
        String statusReason = r.statusReason() == null ? "" : r.statusReason();
        try {
            alarms.find(t.alarms()).values().forEach(a -> {
                String name = a.definition().name();
                if (statusReason.contains(name) || "ALARM".equals(a.state())) {
                    named.add(name + ("ALARM".equals(a.state()) ? " (in ALARM: " + a.stateReason() + ")" : ""));
                }
            });
        } catch (RuntimeException e) {
            // the alarms are an explanation, not the outcome: the rollback stands without them
            return base + "; the alarms could not be read: " + e.getMessage();
        }
        return named.isEmpty() ? base : base + "; alarm(s): " + String.join(", ", named);
    }
}
