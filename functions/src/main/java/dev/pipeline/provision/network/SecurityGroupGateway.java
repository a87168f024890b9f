package dev.pipeline.provision.network;

import dev.pipeline.functions.RetryableException;
import dev.pipeline.spec.EnvironmentSpec;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleRequest;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleUpdate;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Security groups and their rules in EC2: the only class of the stage that speaks the SDK. Finding is by
 * tags and name; deleting treats a group that is already gone as done.
 */
public class SecurityGroupGateway {

    /** What a delete achieved. */
    public enum Deletion { DELETED, ALREADY_GONE, IN_USE }

    private final Ec2Client ec2;

    public SecurityGroupGateway(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** Groups of {@code vpcId} tagged with the environment, or holding one of {@code names}. */
    public List<FoundGroup> inVpc(String vpcId, String environment, Collection<String> names) {
        Map<String, FoundGroup> found = new LinkedHashMap<>();
        describe(List.of(filter("vpc-id", List.of(vpcId)), filter("tag:" + EnvironmentSpec.TAG_ENVIRONMENT,
                List.of(environment)))).forEach(g -> found.put(g.groupId(), g));
        describe(List.of(filter("vpc-id", List.of(vpcId)), filter("group-name", names)))
                .forEach(g -> found.putIfAbsent(g.groupId(), g));
        return List.copyOf(found.values());
    }

    /** Groups in any VPC tagged with the environment and one of {@code components}. */
    public List<FoundGroup> tagged(String environment, Collection<String> components) {
        return describe(List.of(filter("tag:" + EnvironmentSpec.TAG_ENVIRONMENT, List.of(environment)),
                filter("tag:" + EnvironmentSpec.TAG_COMPONENT, components)));
    }

    /** Groups whose inbound or outbound rules name {@code groupId} (itself included, when it names itself). */
    public List<FoundGroup> referencing(String groupId) {
        Map<String, FoundGroup> found = new LinkedHashMap<>();
        for (String name : List.of("ip-permission.group-id", "egress.ip-permission.group-id")) {
            describe(List.of(filter(name, List.of(groupId)))).forEach(g -> found.putIfAbsent(g.groupId(), g));
        }
        return List.copyOf(found.values());
    }

    /** Creates the group with its tags (at creation, so it is never untagged); returns its id. */
    public String create(String vpcId, String name, String description, Map<String, String> tags) {
        try {
            return ec2.createSecurityGroup(b -> b.vpcId(vpcId).groupName(name).description(description)
                    .tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP).tags(tags(tags)))).groupId();
        } catch (Ec2Exception e) {
            if (code(e).equals("InvalidGroup.Duplicate")) {
                throw new RetryableException("security group " + name + " was created in " + vpcId
                        + " at the same moment by another run; the retry will find it", e);
            }
            throw e;
        }
    }

    /** Every rule of {@code groupIds}, both directions. */
    public List<ActualRule> rules(Collection<String> groupIds) {
        List<ActualRule> rules = new ArrayList<>();
        if (groupIds.isEmpty()) {
            return rules;
        }
        // moto ignores MaxResults here and returns everything with no NextToken; the paginator copes with both.
        ec2.describeSecurityGroupRulesPaginator(b -> b.filters(filter("group-id", groupIds))).securityGroupRules()
                .forEach(r -> rules.add(new ActualRule(r.securityGroupRuleId(), r.groupId(), rule(r))));
        return rules;
    }

    public void authorize(String groupId, List<SgRule> rules) {
        List<IpPermission> in = permissions(rules, false);
        List<IpPermission> out = permissions(rules, true);
        try {
            if (!in.isEmpty()) ec2.authorizeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(in));
            if (!out.isEmpty()) ec2.authorizeSecurityGroupEgress(b -> b.groupId(groupId).ipPermissions(out));
        } catch (Ec2Exception e) {
            switch (code(e)) {
                // a concurrent run added it, or a group just created is not visible yet: the retry re-reads and converges
                case "InvalidPermission.Duplicate", "InvalidGroup.NotFound" ->
                        throw new RetryableException("rules of " + groupId + " changed under this run: " + e.getMessage(), e);
                default -> throw e;
            }
        }
    }

    /** Revokes by rule id; a rule or group that is already gone counts as revoked. */
    public void revoke(String groupId, List<ActualRule> rules) {
        List<String> in = rules.stream().filter(r -> !r.rule().egress()).map(ActualRule::ruleId).toList();
        List<String> out = rules.stream().filter(r -> r.rule().egress()).map(ActualRule::ruleId).toList();
        revoke(groupId, in, false);
        revoke(groupId, out, true);
    }

    private void revoke(String groupId, List<String> ruleIds, boolean egress) {
        if (ruleIds.isEmpty()) return;
        try {
            // By id: moto cannot revoke a group-referencing rule by IpPermissions unless the description matches too.
            if (egress) ec2.revokeSecurityGroupEgress(b -> b.groupId(groupId).securityGroupRuleIds(ruleIds));
            else ec2.revokeSecurityGroupIngress(b -> b.groupId(groupId).securityGroupRuleIds(ruleIds));
        } catch (Ec2Exception e) {
            if (code(e).equals("InvalidGroup.NotFound")) return;
            if (!isRuleNotFound(e)) throw e;
            // one id of the batch is gone, which fails the whole call: revoke the rest one by one
            if (ruleIds.size() > 1) ruleIds.forEach(id -> revoke(groupId, List.of(id), egress));
        }
    }

    /**
     * Rewrites descriptions in place (no revoke, so no traffic is cut). IAM: ModifySecurityGroupRules also
     * authorizes on the security-group-rule resource, which carries no tags, so a tag condition cannot allow it
     * there; AWS's example policy grants it on security-group-rule/* without one.
     */
    public void redescribe(String groupId, List<RuleDiff.Redescribe> changes) {
        if (changes.isEmpty()) return;
        List<SecurityGroupRuleUpdate> updates = changes.stream().map(c -> SecurityGroupRuleUpdate.builder()
                .securityGroupRuleId(c.actual().ruleId())
                .securityGroupRule(request(c.actual().rule(), c.description())).build()).toList();
        try {
            ec2.modifySecurityGroupRules(b -> b.groupId(groupId).securityGroupRules(updates));
        } catch (Ec2Exception e) {
            if (isRuleNotFound(e)) {
                throw new RetryableException("a rule of " + groupId + " disappeared under this run: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    public Deletion delete(String groupId) {
        try {
            ec2.deleteSecurityGroup(b -> b.groupId(groupId));
            return Deletion.DELETED;
        } catch (Ec2Exception e) {
            return switch (code(e)) {
                case "InvalidGroup.NotFound" -> Deletion.ALREADY_GONE;
                // network interfaces of terminated instances and a deleted load balancer linger for minutes
                case "DependencyViolation" -> Deletion.IN_USE;
                default -> throw e;
            };
        }
    }

    /** The network interfaces still using the group, for messages: "eni-1 (instance i-2)". */
    public List<String> interfacesUsing(String groupId) {
        List<String> out = new ArrayList<>();
        ec2.describeNetworkInterfacesPaginator(b -> b.filters(filter("group-id", List.of(groupId)))).networkInterfaces()
                .forEach(n -> out.add(n.networkInterfaceId() + (n.attachment() != null && n.attachment().instanceId() != null
                        ? " (instance " + n.attachment().instanceId() + ")"
                        : n.description() == null || n.description().isEmpty() ? "" : " (" + n.description() + ")")));
        return out;
    }

    private List<FoundGroup> describe(List<Filter> filters) {
        List<FoundGroup> out = new ArrayList<>();
        ec2.describeSecurityGroupsPaginator(b -> b.filters(filters)).securityGroups().forEach(g -> out.add(found(g)));
        return out;
    }

    private static FoundGroup found(SecurityGroup g) {
        Map<String, String> tags = new LinkedHashMap<>();
        g.tags().forEach(t -> tags.put(t.key(), t.value()));
        return new FoundGroup(g.groupId(), g.groupName(), g.vpcId(), tags);
    }

    private static SgRule rule(SecurityGroupRule r) {
        Peer peer;
        if (r.cidrIpv4() != null) peer = new Peer(Peer.Kind.IPV4, r.cidrIpv4());
        else if (r.cidrIpv6() != null) peer = new Peer(Peer.Kind.IPV6, r.cidrIpv6());
        else if (r.referencedGroupInfo() != null) peer = Peer.group(r.referencedGroupInfo().groupId());
        else peer = new Peer(Peer.Kind.PREFIX_LIST, r.prefixListId());
        return new SgRule(Boolean.TRUE.equals(r.isEgress()), r.ipProtocol(), port(r.fromPort()), port(r.toPort()), peer,
                r.description());
    }

    private static int port(Integer p) {
        return p == null ? -1 : p;
    }

    private static List<IpPermission> permissions(List<SgRule> rules, boolean egress) {
        return rules.stream().filter(r -> r.egress() == egress).map(SecurityGroupGateway::permission).toList();
    }

    /** The SDK form of one rule; drift fixes authorize rules the same way provisioning does. */
    public static IpPermission permission(SgRule r) {
        IpPermission.Builder b = IpPermission.builder().ipProtocol(r.protocol());
        if (!r.allTraffic()) b.fromPort(r.fromPort()).toPort(r.toPort());
        String d = r.description();
        switch (r.peer().kind()) {
            case IPV4 -> b.ipRanges(IpRange.builder().cidrIp(r.peer().value()).description(d).build());
            case IPV6 -> b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(r.peer().value()).description(d).build());
            case GROUP -> b.userIdGroupPairs(UserIdGroupPair.builder().groupId(r.peer().value()).description(d).build());
            case PREFIX_LIST -> b.prefixListIds(PrefixListId.builder().prefixListId(r.peer().value()).description(d).build());
        }
        return b.build();
    }

    private static SecurityGroupRuleRequest request(SgRule r, String description) {
        // -1..-1 for all traffic: moto insists on a port range even then, and AWS accepts it.
        SecurityGroupRuleRequest.Builder b = SecurityGroupRuleRequest.builder().ipProtocol(r.protocol())
                .fromPort(r.fromPort()).toPort(r.toPort()).description(description);
        switch (r.peer().kind()) {
            case IPV4 -> b.cidrIpv4(r.peer().value());
            case IPV6 -> b.cidrIpv6(r.peer().value());
            case GROUP -> b.referencedGroupId(r.peer().value());
            case PREFIX_LIST -> b.prefixListId(r.peer().value());
        }
        return b.build();
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static Filter filter(String name, Collection<String> values) {
        return Filter.builder().name(name).values(List.copyOf(values)).build();
    }

    // InvalidSecurityGroupRuleId.NotFound is moto's code for an unknown rule id; we could not find AWS's documented,
    // so the older InvalidPermission.NotFound is accepted as well.
    private static boolean isRuleNotFound(Ec2Exception e) {
        return code(e).equals("InvalidPermission.NotFound") || code(e).equals("InvalidSecurityGroupRuleId.NotFound");
    }

    private static String code(Ec2Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }
}
