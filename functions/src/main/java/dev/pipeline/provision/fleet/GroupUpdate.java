package dev.pipeline.provision.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an existing group differs from the settings the pipeline wants, as one UpdateAutoScalingGroup (null =
 * leave as is) plus target groups to attach.
 *
 * <p>Desired capacity is the exception to converging: scaling policies and operators change it, and resetting it
 * on every provisioning run would undo their work. It is only moved when it falls outside the new [min, max], and
 * then to the nearest bound (what AWS itself does when max drops below the current size).
 *
 * <p>The launch template version is only changed when it is not a number ($Latest/$Default, which instance
 * refresh cannot roll back to) or the group points at another template. A different number is left alone:
 * moving the group to a new version without replacing its instances is the deploy's instance refresh's job.
 */
public record GroupUpdate(Integer min, Integer max, Integer desired, String healthCheckType, Integer healthCheckGracePeriod,
                          String launchTemplateId, String launchTemplateVersion, List<String> attachTargetGroups,
                          List<String> changes) {

    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]*");

    public static GroupUpdate plan(GroupView have, GroupSettings want) {
        List<String> changes = new ArrayList<>();
        Integer min = null, max = null, desired = null;
        if (have.min() != want.min() || have.max() != want.max()) {
            min = want.min();
            max = want.max();
            changes.add("size limits " + have.min() + ".." + have.max() + " -> " + want.min() + ".." + want.max());
        }
        if (have.desired() < want.min() || have.desired() > want.max()) {
            desired = Math.clamp(have.desired(), want.min(), want.max());
            changes.add("desired capacity " + have.desired() + " -> " + desired + " (outside the new limits)");
        }
        String hcType = null;
        Integer grace = null;
        if (!Objects.equals(have.healthCheckType(), want.healthCheckType()) || have.healthCheckGracePeriod() != want.healthCheckGracePeriod()) {
            hcType = want.healthCheckType();
            grace = want.healthCheckGracePeriod();
            changes.add("health checks " + have.healthCheckType() + "/" + have.healthCheckGracePeriod() + " s -> "
                    + want.healthCheckType() + "/" + want.healthCheckGracePeriod() + " s");
        }
        String ltId = null, ltVersion = null;
        boolean otherTemplate = !Objects.equals(have.launchTemplateId(), want.launchTemplateId());
        boolean unnumbered = have.launchTemplateVersion() == null || !NUMBER.matcher(have.launchTemplateVersion()).matches();
        if (otherTemplate || unnumbered) {
            ltId = want.launchTemplateId();
            ltVersion = want.launchTemplateVersion();
            changes.add("launch template " + have.launchTemplateId() + " version " + have.launchTemplateVersion()
                    + " -> " + want.launchTemplateId() + " version " + want.launchTemplateVersion());
        }
        List<String> attach = want.targetGroupArns().stream().filter(arn -> !have.targetGroupArns().contains(arn)).toList();
        if (!attach.isEmpty()) changes.add("attached target groups " + attach);
        return new GroupUpdate(min, max, desired, hcType, grace, ltId, ltVersion, attach, List.copyOf(changes));
    }

    /** True when UpdateAutoScalingGroup has something to do. */
    public boolean updatesGroup() {
        return min != null || desired != null || healthCheckType != null || launchTemplateVersion != null;
    }
}
