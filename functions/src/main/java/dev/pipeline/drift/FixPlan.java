package dev.pipeline.drift;

import dev.pipeline.provision.network.ActualRule;
import dev.pipeline.provision.network.RuleDiff;
import dev.pipeline.provision.network.SgRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The safe repairs for a snapshot, pure. Restores missing rules, revokes world-open ingress rules the spec does not
 * have on any group, UPSERTs backend records to the instances' current IPs and provisioning's TTL, restores the target group's health check and stickiness,
 * re-attaches the target group, restores the launch template's default version. Never terminates, stops, starts
 * or deletes anything else; everything else stays reported for a person to decide.
 */
public record FixPlan(List<Fix> fixes) {

    public FixPlan {
        fixes = List.copyOf(fixes);
    }

    public boolean isEmpty() {
        return fixes.isEmpty();
    }

    public static FixPlan of(Desired want, Snapshot have) {
        List<Fix> out = new ArrayList<>();
        if (have.readable(Area.SECURITY_GROUPS)) {
            want.groupIds().forEach((component, groupId) -> {
                Snapshot.SecurityGroup g = have.securityGroups().get(groupId);
                if (g == null) return;
                RuleDiff diff = RuleDiff.between(want.rules().get(component),
                        g.rules().stream().map(r -> new ActualRule(null, groupId, r)).toList());
                diff.toAuthorize().forEach(r -> out.add(new Fix.AuthorizeRule(groupId, r)));
                // on every group: the spec's own world-open rules (the load balancer's 80/443) are never in toRevoke,
                // so what is revoked is an opening the environment does not need
                for (ActualRule a : diff.toRevoke()) {
                    SgRule r = a.rule();
                    if (!r.egress() && r.peer().worldOpen()) out.add(new Fix.RevokeRule(groupId, r));
                }
            });
        }
        if (have.readable(Area.INSTANCES) && have.readable(Area.DNS_ZONE) && have.readable(Area.DNS_RECORDS) && have.zone().isPresent()) {
            for (Desired.Backend b : want.backends().values()) {
                Snapshot.Instance i = have.instances().get(b.instanceId());
                if (i == null || i.privateIp() == null || i.state().equals("terminated") || i.state().equals("shutting-down")) continue;
                Long ttl = have.recordTtls().get(b.dnsName());
                boolean wrongTtl = have.records().containsKey(b.dnsName()) && ttl != null && ttl != FixGateway.RECORD_TTL;
                if (!i.privateIp().equals(have.records().get(b.dnsName())) || wrongTtl) {
                    out.add(new Fix.UpsertRecord(want.zoneId(), b.dnsName(), i.privateIp()));
                }
            }
        }
        if (have.readable(Area.TARGET_GROUP) && have.targetGroup().isPresent()) {
            Snapshot.TargetGroup tg = have.targetGroup().get();
            var hc = DriftRules.sameHealthCheck(want.healthCheck(), tg.healthCheck()) ? null : want.healthCheck();
            Map<String, String> stickiness = new LinkedHashMap<>();
            want.targetGroupAttributes().forEach((k, v) -> {
                if (k.startsWith("stickiness.") && !Objects.equals(v, tg.attributes().get(k))) stickiness.putAll(stickinessOf(want));
            });
            if (hc != null || !stickiness.isEmpty()) {
                out.add(new Fix.RestoreTargetGroup(tg.arn(), hc, stickiness.isEmpty() ? null : stickiness));
            }
        }
        if (have.readable(Area.FLEET) && have.group().isPresent() && want.targetGroupArn() != null
                && !have.group().get().targetGroupArns().contains(want.targetGroupArn())) {
            out.add(new Fix.AttachTargetGroup(have.group().get().name(), want.targetGroupArn()));
        }
        if (have.readable(Area.LAUNCH_TEMPLATE) && have.launchTemplate().isPresent() && have.group().isPresent()) {
            Snapshot.LaunchTemplate lt = have.launchTemplate().get();
            String groupVersion = have.group().get().launchTemplateVersion();
            boolean unsound = !"required".equals(lt.httpTokens()) || lt.volumes() == 0 || !lt.allVolumesEncrypted();
            if (unsound && groupVersion != null && groupVersion.matches("\\d+") && !groupVersion.equals(String.valueOf(lt.defaultVersion()))) {
                out.add(new Fix.RestoreDefaultVersion(lt.id(), groupVersion));
            }
        }
        return new FixPlan(out);
    }

    private static Map<String, String> stickinessOf(Desired want) {
        Map<String, String> s = new LinkedHashMap<>();
        want.targetGroupAttributes().forEach((k, v) -> {
            if (k.startsWith("stickiness.")) s.put(k, v);
        });
        return s;
    }
}
