package dev.pipeline.provision.network;

import dev.pipeline.functions.Run;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Converges to absent: every security group tagged with the environment and one of the three components, in
 * any VPC, is deleted. Rules naming another of these groups are revoked first, because AWS refuses to delete a
 * group another group's rule names. A group still used by a network interface (instances and load balancers
 * release theirs minutes after they are deleted) is "not ready yet": the state machine calls again. Repeating
 * is harmless; a group already gone is done.
 */
public final class TeardownSecurityGroupsService {
    private final SecurityGroupGateway groups;

    public TeardownSecurityGroupsService(SecurityGroupGateway groups) {
        this.groups = groups;
    }

    public TeardownSecurityGroupsOutput teardown(EnvironmentSpec spec, Run run) {
        List<FoundGroup> ours = groups.tagged(spec.name(), SecurityGroupLayout.COMPONENTS);
        if (ours.isEmpty()) {
            return new TeardownSecurityGroupsOutput(true, List.of());
        }
        Set<String> ids = ours.stream().map(FoundGroup::groupId).collect(Collectors.toSet());
        revokeCrossReferences(ids);

        List<String> deleted = new ArrayList<>();
        List<FoundGroup> inUse = new ArrayList<>();
        for (FoundGroup g : ours) {
            switch (groups.delete(g.groupId())) {
                case DELETED -> deleted.add(g.groupId());
                case ALREADY_GONE -> { }
                case IN_USE -> inUse.add(g);
            }
        }
        if (inUse.isEmpty()) {
            return new TeardownSecurityGroupsOutput(true, deleted);
        }
        failOnForeignReferences(inUse, ids);
        run.checkDeadline(inUse.stream().map(g -> "security group " + g.label() + ", used by "
                + String.join(", ", groups.interfacesUsing(g.groupId()))).collect(Collectors.joining("; ")));
        return new TeardownSecurityGroupsOutput(false, deleted);
    }

    /** Revokes every rule of our groups that names another of our groups (a rule naming its own group does not block). */
    private void revokeCrossReferences(Set<String> ids) {
        Map<String, List<ActualRule>> byGroup = new LinkedHashMap<>();
        for (ActualRule r : groups.rules(ids)) {
            Peer peer = r.rule().peer();
            if (peer.kind() == Peer.Kind.GROUP && ids.contains(peer.value()) && !peer.value().equals(r.groupId())) {
                byGroup.computeIfAbsent(r.groupId(), k -> new ArrayList<>()).add(r);
            }
        }
        byGroup.forEach(groups::revoke);
    }

    /**
     * A group of someone else naming ours will not go away by waiting: fail now with what to do, rather than
     * loop until the deadline.
     */
    private void failOnForeignReferences(List<FoundGroup> inUse, Set<String> ours) {
        List<String> problems = new ArrayList<>();
        for (FoundGroup g : inUse) {
            List<FoundGroup> foreign = groups.referencing(g.groupId()).stream().filter(r -> !ours.contains(r.groupId())).toList();
            if (!foreign.isEmpty()) {
                problems.add(g.label() + " is named in the rules of " + foreign.stream().map(FoundGroup::label)
                        .collect(Collectors.joining(", ")));
            }
        }
        if (!problems.isEmpty()) {
            throw new StageFailedException("cannot delete the environment's security groups: " + String.join("; ", problems)
                    + ". Those groups are not the pipeline's; remove their rules that name these groups, then run the "
                    + "teardown again");
        }
    }
}
