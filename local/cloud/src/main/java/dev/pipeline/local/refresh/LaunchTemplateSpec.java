package dev.pipeline.local.refresh;

import java.util.Map;

/**
 * A launch template reference as Auto Scaling takes it: id or name, and a version (a number, {@code $Latest},
 * {@code $Default}, or none, which Auto Scaling reads as {@code $Default}).
 */
public record LaunchTemplateSpec(String launchTemplateId, String launchTemplateName, String version) {

    /** The spec under {@code prefix} (e.g. "DesiredConfiguration.LaunchTemplate.") in query-protocol params, or null. */
    static LaunchTemplateSpec fromForm(Map<String, String> params, String prefix) {
        String id = blankToNull(params.get(prefix + "LaunchTemplateId"));
        String name = blankToNull(params.get(prefix + "LaunchTemplateName"));
        String version = blankToNull(params.get(prefix + "Version"));
        if (id == null && name == null && version == null) return null;
        if ((id == null) == (name == null)) {
            // the wording moto copies from AWS for the same rule on CreateAutoScalingGroup
            throw RefreshApiException.validation("Valid requests must contain either launchTemplateId or LaunchTemplateName");
        }
        return new LaunchTemplateSpec(id, name, version);
    }

    /**
     * True when the version floats ($Latest, $Default, or none): AWS cannot roll back to such a version, so it
     * refuses AutoRollback and RollbackInstanceRefresh for it.
     */
    public boolean floatingVersion() {
        return version == null || version.equals("$Latest") || version.equals("$Default");
    }

    String xml() {
        StringBuilder sb = new StringBuilder("<LaunchTemplate>");
        RefreshXml.element(sb, "LaunchTemplateId", launchTemplateId);
        RefreshXml.element(sb, "LaunchTemplateName", launchTemplateName);
        RefreshXml.element(sb, "Version", version);
        return sb.append("</LaunchTemplate>").toString();
    }

    @Override
    public String toString() {
        return (launchTemplateId != null ? launchTemplateId : launchTemplateName) + ":" + (version == null ? "$Default" : version);
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s; }
}
