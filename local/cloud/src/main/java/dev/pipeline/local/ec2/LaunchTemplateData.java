package dev.pipeline.local.ec2;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The LaunchTemplateData of one launch template version, kept as the query parameters that made it, relative to
 * {@code LaunchTemplateData.} ({@code ImageId}, {@code BlockDeviceMapping.1.Ebs.Encrypted}, ...).
 * Immutable; {@link #inheritedBy} is the SourceVersion rule of CreateLaunchTemplateVersion.
 */
record LaunchTemplateData(Map<String, String> params) {
    static final String PREFIX = "LaunchTemplateData.";

    LaunchTemplateData {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The LaunchTemplateData.* parameters of a CreateLaunchTemplate or CreateLaunchTemplateVersion call. */
    static LaunchTemplateData fromForm(Map<String, String> form) {
        Map<String, String> p = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) p.put(k.substring(PREFIX.length()), v);
        });
        return new LaunchTemplateData(p);
    }

    /** The top-level launch parameters present: "ImageId", "BlockDeviceMapping", "SecurityGroupId"... */
    Set<String> launchParameters() {
        Set<String> names = new LinkedHashSet<>();
        for (String k : params.keySet()) names.add(topLevel(k));
        return names;
    }

    /**
     * The data of a version created from this one as SourceVersion with {@code specified} as its
     * LaunchTemplateData. AWS: "the new version inherits the launch parameters from the source version. If you
     * specify additional launch parameters for the new version, they overwrite any corresponding launch
     * parameters inherited". We take "launch parameter" to be a top-level member of LaunchTemplateData, so a
     * specified MetadataOptions or BlockDeviceMapping list replaces the source's whole value, never merges into
     * it (not confirmed in the AWS docs for nested members; it matches the console, which edits whole sections).
     * Also AWS: "Snapshots applied to the block device mapping are ignored when creating a new version unless
     * they are explicitly included", so an inherited mapping loses its Ebs.SnapshotId.
     */
    LaunchTemplateData inheritedBy(LaunchTemplateData specified) {
        Set<String> overridden = specified.launchParameters();
        Map<String, String> merged = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String top = topLevel(k);
            if (overridden.contains(top)) return;
            if (top.equals("BlockDeviceMapping") && k.endsWith(".Ebs.SnapshotId")) return;
            merged.put(k, v);
        });
        merged.putAll(specified.params);
        return new LaunchTemplateData(merged);
    }

    /** Adds these parameters, prefixed, to a form. */
    void writeTo(Map<String, String> form) {
        params.forEach((k, v) -> form.put(PREFIX + k, v));
    }

    private static String topLevel(String relativeKey) {
        int dot = relativeKey.indexOf('.');
        return dot < 0 ? relativeKey : relativeKey.substring(0, dot);
    }
}
