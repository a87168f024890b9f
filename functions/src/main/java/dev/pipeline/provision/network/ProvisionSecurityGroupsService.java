package dev.pipeline.provision.network;

import dev.pipeline.spec.EnvironmentSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Find → create what is missing → converge: the environment's three security groups, found by tags in the
 * spec's VPC, end up with exactly {@link SecurityGroupLayout}'s rules. Unexpected rules are revoked before
 * missing ones are added, so a hand-made exposure is closed first. Run twice, the second run changes nothing.
 */
public final class ProvisionSecurityGroupsService {
    private final SecurityGroupGateway groups;

    public ProvisionSecurityGroupsService(SecurityGroupGateway groups) {
        this.groups = groups;
    }

    public ProvisionSecurityGroupsOutput provision(EnvironmentSpec spec) {
        String vpcId = spec.network().vpcId();
        List<String> names = SecurityGroupLayout.COMPONENTS.stream().map(spec::resourceName).toList();
        ExistingGroups existing = new ExistingGroups(spec.name(), vpcId, groups.inVpc(vpcId, spec.name(), names));

        // every conflict is found before the first group is created
        Map<String, Optional<String>> found = new LinkedHashMap<>();
        SecurityGroupLayout.COMPONENTS.forEach(c -> found.put(c, existing.idOf(c, spec.resourceName(c))));
        Map<String, String> ids = new LinkedHashMap<>();
        found.forEach((component, id) -> {
            String name = spec.resourceName(component);
            ids.put(component, id.orElseGet(() -> groups.create(vpcId, name,
                    SecurityGroupLayout.groupDescription(spec, component), withName(spec.tags(component), name))));
        });
        ProvisionSecurityGroupsOutput out = new ProvisionSecurityGroupsOutput(
                ids.get(SecurityGroupLayout.ALB), ids.get(SecurityGroupLayout.APP), ids.get(SecurityGroupLayout.BACKEND));

        Map<String, List<SgRule>> desired = SecurityGroupLayout.rules(spec, out);
        Map<String, List<ActualRule>> actual = new LinkedHashMap<>();
        ids.values().forEach(id -> actual.put(id, new ArrayList<>()));
        groups.rules(ids.values()).forEach(r -> actual.computeIfAbsent(r.groupId(), k -> new ArrayList<>()).add(r));

        for (String component : SecurityGroupLayout.COMPONENTS) {
            String id = ids.get(component);
            RuleDiff diff = RuleDiff.between(desired.get(component), actual.get(id));
            groups.revoke(id, diff.toRevoke());
            groups.authorize(id, diff.toAuthorize());
            groups.redescribe(id, diff.toRedescribe());
        }
        return out;
    }

    private static Map<String, String> withName(Map<String, String> tags, String name) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("Name", name);
        return all;
    }
}
