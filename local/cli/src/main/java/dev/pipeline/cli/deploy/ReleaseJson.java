package dev.pipeline.cli.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.functions.JsonHandler;

/** A release record as the CLI's JSON shows it: every field, times as ISO-8601, absent ones null. */
final class ReleaseJson {
    private ReleaseJson() {}

    static ObjectNode of(Release r) {
        ObjectNode n = JsonHandler.JSON.createObjectNode();
        n.put("releaseId", r.releaseId());
        n.put("status", r.status().name());
        n.put("key", r.key());
        n.put("versionId", r.versionId());
        n.put("sha256", r.sha256());
        n.put("ami", r.ami());
        if (r.launchTemplateVersion() == null) n.putNull("launchTemplateVersion");
        else n.put("launchTemplateVersion", r.launchTemplateVersion());
        n.put("reason", r.reason());
        n.put("uploadedAt", r.uploadedAt() == null ? null : r.uploadedAt().toString());
        n.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        n.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        n.put("execution", r.execution());
        n.put("rollbackOf", r.rollbackOf());
        if (r.inPlace() == null) {
            n.putNull("inPlace");
        } else {
            ObjectNode p = n.putObject("inPlace");
            p.put("deploymentId", r.inPlace().deploymentId());
            p.put("revisionKey", r.inPlace().revisionKey());
            p.put("liveAt", r.inPlace().liveAt() == null ? null : r.inPlace().liveAt().toString());
        }
        return n;
    }
}
