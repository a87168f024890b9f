package dev.pipeline.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.release.DeployLock;
import dev.pipeline.deploy.release.LockState;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.deploy.release.ReleaseStore;
import dev.pipeline.deploy.release.Upload;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.manifest.AppliedManifest;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.CodeDeployException;
import dev.pipeline.provision.codedeploy.DeploymentGroupNames;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code status} shows, read in one pass: the live release, the fleet's instances grouped by the AMI they run
 * (with the release each AMI came from), the deploy holding the lock, the uploads queued behind it, and the latest
 * releases. Read-only.
 *
 * @param live     the release the fleet should run (the applied manifest's, else the newest SUCCEEDED), null if none
 * @param inFlight the lock as stored when a deploy holds it, else null
 */
public record DeployStatus(String environment, boolean provisioned, Release live, Fleet fleet, LockState inFlight,
                           List<Upload> queued, List<Release> history) {

    /** The group and its in-service (or changing) instances by AMI. */
    public record Fleet(String groupName, int desired, List<AmiGroup> byAmi) {
        public int instances() { return byAmi.stream().mapToInt(g -> g.instances().size()).sum(); }
    }

    /** Instances on one AMI; {@code release} is the release that AMI was baked for, {@code label} says what it is. */
    /**
     * Instances that run the same release on the same AMI; {@code inPlace} when CodeDeploy put the release there (the
     * group's last good revision, newer than the AMI's own release) rather than the AMI.
     */
    public record AmiGroup(String ami, Release release, String label, List<Instance> instances, boolean inPlace) {
        public AmiGroup(String ami, Release release, String label, List<Instance> instances) {
            this(ami, release, label, instances, false);
        }
    }

    public record Instance(String id, String lifecycle, String health) {}

    public static DeployStatus read(DeployTarget t, int historySize) {
        String env = t.environment();
        JsonNode manifest = manifest(t);
        ReleaseStore store = new ReleaseStore(t.client(DynamoDbClient.class), t.releasesTable());
        List<Release> known = store.list(env, Math.max(historySize, 100));
        String liveId = manifest == null ? null : manifest.path("release").path("releaseId").asText(null);
        Release live = known.stream().filter(r -> r.releaseId().equals(liveId)).findFirst()
                .orElse(known.stream().filter(r -> r.status() == ReleaseStatus.SUCCEEDED).findFirst().orElse(null));
        Fleet fleet = manifest == null ? null : fleet(t, manifest, known);
        LockState lock = t.lockTable() == null ? null
                : new DeployLock(t.client(DynamoDbClient.class), t.lockTable(), Clock.systemUTC()).state(env).orElse(null);
        boolean held = lock != null && lock.heldAt(Instant.now());
        return new DeployStatus(env, manifest != null, live, fleet, held ? lock : null,
                lock == null ? List.of() : lock.queued(), known.subList(0, Math.min(historySize, known.size())));
    }

    private static JsonNode manifest(DeployTarget t) {
        try {
            byte[] bytes = t.client(S3Client.class).getObjectAsBytes(b -> b.bucket(t.bucket()).key(AppliedManifest.key(t.environment())))
                    .asByteArray();
            return JsonHandler.JSON.readTree(bytes);
        } catch (NoSuchKeyException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("the applied manifest of " + t.environment() + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static Fleet fleet(DeployTarget t, JsonNode manifest, List<Release> known) {
        String groupName = manifest.path("fleet").path("groupName").asText(t.environment() + "-app");
        List<AutoScalingGroup> groups = t.client(AutoScalingClient.class)
                .describeAutoScalingGroups(b -> b.autoScalingGroupNames(groupName)).autoScalingGroups();
        if (groups.isEmpty()) return new Fleet(groupName, 0, List.of());
        AutoScalingGroup group = groups.getFirst();
        Map<String, Instance> instances = new TreeMap<>();
        group.instances().forEach(i -> instances.put(i.instanceId(), new Instance(i.instanceId(), i.lifecycleStateAsString(), i.healthStatus())));
        Map<String, List<Instance>> byAmi = new TreeMap<>();
        if (!instances.isEmpty()) {
            t.client(Ec2Client.class).describeInstances(b -> b.instanceIds(instances.keySet())).reservations()
                    .forEach(r -> r.instances().forEach(i ->
                            byAmi.computeIfAbsent(i.imageId(), k -> new ArrayList<>()).add(instances.get(i.instanceId()))));
        }
        Map<String, Image> images = new HashMap<>();
        if (!byAmi.isEmpty()) {
            try {
                t.client(Ec2Client.class).describeImages(b -> b.imageIds(byAmi.keySet())).images().forEach(i -> images.put(i.imageId(), i));
            } catch (Ec2Exception e) {
                // an instance can outlive its AMI (deregistered by hand): the labels then come from the history alone
            }
        }
        String golden = manifest.path("goldenImage").path("imageId").asText("");
        Release revision = lastGoodRevision(t, known);
        List<AmiGroup> out = new ArrayList<>();
        byAmi.forEach((ami, list) -> {
            // the newest successful release on this AMI; a rollback shares its AMI with the release it restored
            Release release = known.stream().filter(r -> ami.equals(r.ami()) && r.status() == ReleaseStatus.SUCCEEDED).findFirst()
                    .orElse(known.stream().filter(r -> ami.equals(r.ami())).findFirst().orElse(null));
            // CodeDeploy's last good revision is on every instance of the group, unless the instance's image holds
            // that release or a newer one (the revision's install hook then keeps the image's WAR: InPlaceRevision)
            if (revision != null && (release == null || release.releaseId().compareTo(revision.releaseId()) < 0)) {
                out.add(new AmiGroup(ami, revision, label(ami, revision, images.get(ami), golden) + " (in place on " + ami + ")",
                        List.copyOf(list), true));
            } else {
                out.add(new AmiGroup(ami, release, label(ami, release, images.get(ami), golden), List.copyOf(list)));
            }
        });
        out.sort((a, b) -> Integer.compare(b.instances().size(), a.instances().size()));
        return new Fleet(groupName, group.desiredCapacity(), out);
    }

    /**
     * The release whose revision the environment's CodeDeploy group last deployed successfully (a rollback deployment
     * redeploys an earlier release's revision, found by its key); null without a group or an in-place release.
     */
    private static Release lastGoodRevision(DeployTarget t, List<Release> known) {
        if (known.stream().noneMatch(r -> r.inPlace() != null)) return null;
        try {
            var group = t.client(CodeDeployClient.class).getDeploymentGroup(b -> b
                    .applicationName(DeploymentGroupNames.application(t.environment()))
                    .deploymentGroupName(DeploymentGroupNames.group(t.environment()))).deploymentGroupInfo();
            var s3 = group.targetRevision() == null ? null : group.targetRevision().s3Location();
            if (group.lastSuccessfulDeployment() == null || s3 == null) return null;
            return known.stream().filter(r -> r.inPlace() != null && s3.key().equals(r.inPlace().revisionKey())).findFirst().orElse(null);
        } catch (CodeDeployException e) {
            return null; // no group (an environment provisioned before in-place releases): the AMIs tell it all
        }
    }

    private static String label(String ami, Release release, Image image, String golden) {
        if (release != null) {
            return release.key() == null ? "release " + release.releaseId() : release.key() + " version " + release.versionId();
        }
        if (ami.equals(golden)) return "golden AMI (no release deployed yet)";
        if (image != null) {
            for (var tag : image.tags()) if (tag.key().equals("pipeline:release")) return "release " + tag.value() + " (not in the history)";
        }
        return "not a release AMI";
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonHandler.JSON.createObjectNode();
        n.put("environment", environment);
        n.put("provisioned", provisioned);
        if (live == null) n.putNull("live");
        else n.set("live", ReleaseJson.of(live));
        if (fleet == null) {
            n.putNull("fleet");
        } else {
            ObjectNode f = n.putObject("fleet");
            f.put("groupName", fleet.groupName()).put("desired", fleet.desired()).put("instances", fleet.instances());
            ArrayNode by = f.putArray("byAmi");
            for (AmiGroup g : fleet.byAmi()) {
                ObjectNode a = by.addObject();
                a.put("ami", g.ami());
                a.put("releaseId", g.release() == null ? null : g.release().releaseId());
                a.put("label", g.label());
                a.put("via", g.inPlace() ? "revision" : "image");
                a.put("count", g.instances().size());
                a.set("instances", JsonHandler.JSON.valueToTree(g.instances()));
            }
        }
        if (inFlight == null) {
            n.putNull("inFlight");
        } else {
            n.putObject("inFlight").put("holder", inFlight.holder()).put("leaseExpiresAt", inFlight.leaseExpiresAt().toString());
        }
        ArrayNode q = n.putArray("queued");
        for (Upload u : queued) {
            q.addObject().put("id", u.id()).put("key", u.key()).put("versionId", u.versionId()).put("uploadedAt", u.uploadedAt().toString());
        }
        ArrayNode h = n.putArray("history");
        history.forEach(r -> h.add(ReleaseJson.of(r)));
        return n;
    }

    public void print(PrintStream out) {
        out.println("Environment " + environment + (provisioned ? "" : " is not provisioned (no applied manifest): ./pipeline up"));
        if (live == null) {
            out.println("  Live release:     none yet (the fleet runs the golden AMI)");
        } else {
            out.printf("  Live release:     %s on %s (launch template version %s)%n", what(live), live.ami(), live.launchTemplateVersion());
            out.printf("                    release %s, sha256 %s, finished %s%s%n", live.releaseId(), shortSha(live.sha256()), live.finishedAt(),
                    live.rollbackOf() == null ? "" : ", a rollback to " + live.rollbackOf());
        }
        if (fleet != null) {
            out.printf("  Fleet:            %s, %d instances (desired %d)%n", fleet.groupName(), fleet.instances(), fleet.desired());
            for (AmiGroup g : fleet.byAmi()) {
                boolean isLive = live != null && (g.release() != null ? g.release().releaseId().equals(live.releaseId()) : g.ami().equals(live.ami()));
                out.printf("    %-22s %2d x  %s%n", g.ami(), g.instances().size(), g.label() + (isLive ? " [live]" : ""));
                out.println("      " + String.join(" ", g.instances().stream().map(i -> i.id() + (i.lifecycle().equals("InService") ? "" : "(" + i.lifecycle() + ")")).toList()));
            }
        }
        out.println("  Deploy in flight: " + (inFlight == null ? "none"
                : inFlight.holder() + " (lock lease until " + inFlight.leaseExpiresAt() + ")"));
        if (queued.isEmpty()) {
            out.println("  Queued uploads:   none");
        } else {
            out.println("  Queued uploads:   " + queued.size() + " (only the newest will deploy)");
            for (Upload u : queued) out.printf("    %s  %s version %s%n", u.uploadedAt(), u.key(), u.versionId());
        }
        out.println("  History (newest first):");
        if (history.isEmpty()) out.println("    no releases yet");
        for (Release r : history) {
            out.printf("    %-11s %-24s %-44s %-21s %s%n", r.status(), r.startedAt() == null ? "-" : r.startedAt().toString(),
                    what(r), r.ami() == null ? "-" : r.ami(), (r.rollbackOf() == null ? "" : "rollback to " + r.rollbackOf() + " ")
                            + (r.reason() == null ? "" : shorten(r.reason(), 100)));
        }
    }

    /** "releases/app.war version 3HL4kqtJ"; a rollback's record carries the key and version it put back. */
    static String what(Release r) {
        if (r.key() == null) return "release " + r.releaseId();
        String v = r.versionId() == null ? "?" : r.versionId();
        return r.key() + " version " + (v.length() > 12 ? v.substring(0, 12) : v);
    }

    private static String shortSha(String sha) { return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length())); }

    private static String shorten(String s, int max) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
