package dev.pipeline.local.refresh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Preferences of a StartInstanceRefresh call, as given (null = not given), with AWS's defaults applied by
 * the accessors the worker uses. Validated on parse; ranges from the RefreshPreferences API reference.
 */
public record RefreshPreferences(
        Integer minHealthyPercentage,
        Integer maxHealthyPercentage,
        Integer instanceWarmup,
        List<Integer> checkpointPercentages,
        Integer checkpointDelay,
        Boolean skipMatching,
        Boolean autoRollback,
        String scaleInProtectedInstances,
        String standbyInstances,
        List<String> alarms,
        Integer bakeTime) {

    /** AWS's default when neither the call nor an instance maintenance policy sets it. */
    public static final int DEFAULT_MIN_HEALTHY = 90;
    /** Documented: CheckpointPercentages without CheckpointDelay waits an hour at each checkpoint. */
    public static final int DEFAULT_CHECKPOINT_DELAY = 3600;

    public RefreshPreferences {
        checkpointPercentages = checkpointPercentages == null ? List.of() : List.copyOf(checkpointPercentages);
        alarms = alarms == null ? List.of() : List.copyOf(alarms);
    }

    public static RefreshPreferences none() {
        return new RefreshPreferences(null, null, null, List.of(), null, null, null, null, null, List.of(), null);
    }

    /** Parses {@code Preferences.*} from query-protocol params and checks the documented ranges. */
    public static RefreshPreferences fromForm(Map<String, String> p) {
        String pre = "Preferences.";
        RefreshPreferences prefs = new RefreshPreferences(
                integer(p, pre + "MinHealthyPercentage"),
                integer(p, pre + "MaxHealthyPercentage"),
                integer(p, pre + "InstanceWarmup"),
                integers(p, pre + "CheckpointPercentages.member."),
                integer(p, pre + "CheckpointDelay"),
                bool(p, pre + "SkipMatching"),
                bool(p, pre + "AutoRollback"),
                p.get(pre + "ScaleInProtectedInstances"),
                p.get(pre + "StandbyInstances"),
                strings(p, pre + "AlarmSpecification.Alarms.member."),
                integer(p, pre + "BakeTime"));
        prefs.validate();
        return prefs;
    }

    void validate() {
        if (minHealthyPercentage != null && (minHealthyPercentage < 0 || minHealthyPercentage > 100)) {
            throw RefreshApiException.validation("MinHealthyPercentage must be between 0 and 100.");
        }
        if (maxHealthyPercentage != null) {
            if (maxHealthyPercentage < 100 || maxHealthyPercentage > 200) {
                throw RefreshApiException.validation("MaxHealthyPercentage must be between 100 and 200.");
            }
            // RefreshPreferences (API reference): "If you specify MaxHealthyPercentage, you must also specify
            // MinHealthyPercentage, and the difference between them cannot be greater than 100."
            if (minHealthyPercentage == null) {
                throw RefreshApiException.validation(
                        "If you specify MaxHealthyPercentage, you must also specify MinHealthyPercentage.");
            }
            // the documented rule of the instance maintenance policy, which these two preferences override
            if (maxHealthyPercentage - minHealthy() > 100) {
                throw RefreshApiException.validation(
                        "The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100.");
            }
        }
        // RefreshPreferences: BakeTime "Valid Range: Minimum value of 0. Maximum value of 172800."
        if (bakeTime != null && (bakeTime < 0 || bakeTime > 172_800)) {
            throw RefreshApiException.validation("BakeTime must be between 0 and 172800.");
        }
        if (instanceWarmup != null && instanceWarmup < 0) {
            throw RefreshApiException.validation("InstanceWarmup must be 0 or greater.");
        }
        if (checkpointDelay != null) {
            if (checkpointDelay < 0 || checkpointDelay > 172_800) {
                throw RefreshApiException.validation("CheckpointDelay must be between 0 and 172800.");
            }
            if (checkpointPercentages.isEmpty()) {
                throw RefreshApiException.validation("CheckpointDelay requires CheckpointPercentages.");
            }
        }
        int previous = 0;
        for (int cp : checkpointPercentages) {
            if (cp < 1 || cp > 100) throw RefreshApiException.validation("CheckpointPercentages must be between 1 and 100.");
            if (cp <= previous) {
                throw RefreshApiException.validation("CheckpointPercentages must be unique and in ascending order.");
            }
            previous = cp;
        }
    }

    public int minHealthy() { return minHealthyPercentage == null ? DEFAULT_MIN_HEALTHY : minHealthyPercentage; }

    /** Without a maintenance policy AWS keeps the group at or below 100 % while replacing. */
    public int maxHealthy() { return maxHealthyPercentage == null ? 100 : maxHealthyPercentage; }

    public int checkpointDelaySeconds() { return checkpointDelay == null ? DEFAULT_CHECKPOINT_DELAY : checkpointDelay; }

    public boolean skipMatchingOn() { return Boolean.TRUE.equals(skipMatching); }

    public boolean autoRollbackOn() { return Boolean.TRUE.equals(autoRollback); }

    public int bakeTimeSeconds() { return bakeTime == null ? 0 : bakeTime; }

    /** The Preferences element of DescribeInstanceRefreshes: what was given, with the documented defaults filled in. */
    String xml() {
        StringBuilder sb = new StringBuilder("<Preferences>");
        RefreshXml.element(sb, "MinHealthyPercentage", minHealthy());
        RefreshXml.element(sb, "MaxHealthyPercentage", maxHealthyPercentage);
        RefreshXml.element(sb, "InstanceWarmup", instanceWarmup);
        if (!checkpointPercentages.isEmpty()) {
            sb.append("<CheckpointPercentages>");
            checkpointPercentages.forEach(cp -> RefreshXml.element(sb, "member", cp));
            sb.append("</CheckpointPercentages>");
            RefreshXml.element(sb, "CheckpointDelay", checkpointDelaySeconds());
        }
        RefreshXml.element(sb, "SkipMatching", skipMatchingOn());
        RefreshXml.element(sb, "AutoRollback", autoRollbackOn());
        RefreshXml.element(sb, "ScaleInProtectedInstances", scaleInProtectedInstances);
        RefreshXml.element(sb, "StandbyInstances", standbyInstances);
        if (!alarms.isEmpty()) {
            sb.append("<AlarmSpecification><Alarms>");
            alarms.forEach(a -> RefreshXml.element(sb, "member", a));
            sb.append("</Alarms></AlarmSpecification>");
        }
        RefreshXml.element(sb, "BakeTime", bakeTime);
        return sb.append("</Preferences>").toString();
    }

    private static Integer integer(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null || v.isBlank()) return null;
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw RefreshApiException.validation("Invalid value for " + key + ": " + v);
        }
    }

    private static Boolean bool(Map<String, String> p, String key) {
        String v = p.get(key);
        return v == null || v.isBlank() ? null : Boolean.valueOf(v.trim());
    }

    private static List<Integer> integers(Map<String, String> p, String prefix) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; p.containsKey(prefix + i); i++) out.add(integer(p, prefix + i));
        return out;
    }

    private static List<String> strings(Map<String, String> p, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; p.containsKey(prefix + i); i++) out.add(p.get(prefix + i));
        return out;
    }
}
