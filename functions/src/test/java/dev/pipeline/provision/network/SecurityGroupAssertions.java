package dev.pipeline.provision.network;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a group's rules back from EC2 in a form tests can compare: "in tcp 8080 sg-…", "out all 0.0.0.0/0". */
final class SecurityGroupAssertions {
    private SecurityGroupAssertions() {
    }

    /** Every rule of the group, one line each (DescribeSecurityGroupRules). */
    static List<String> rules(Ec2Client ec2, String groupId) {
        List<String> out = new ArrayList<>();
        for (SecurityGroupRule r : ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(groupId)))
                .securityGroupRules()) {
            String peer = r.cidrIpv4() != null ? r.cidrIpv4() : r.cidrIpv6() != null ? r.cidrIpv6()
                    : r.referencedGroupInfo() != null ? r.referencedGroupInfo().groupId() : r.prefixListId();
            String what = "-1".equals(r.ipProtocol()) ? "all" : r.ipProtocol() + " " + r.fromPort()
                    + (r.fromPort().equals(r.toPort()) ? "" : "-" + r.toPort());
            out.add((r.isEgress() ? "out " : "in ") + what + " " + peer);
        }
        return out;
    }

    /**
     * Each rule's description, keyed like {@link #rules}. Read with DescribeSecurityGroups, because moto's
     * DescribeSecurityGroupRules leaves out the descriptions of group-referencing rules.
     */
    static Map<String, String> descriptions(Ec2Client ec2, String groupId) {
        SecurityGroup g = ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().getFirst();
        Map<String, String> out = new TreeMap<>();
        g.ipPermissions().forEach(p -> describe(out, "in ", p));
        g.ipPermissionsEgress().forEach(p -> describe(out, "out ", p));
        return out;
    }

    private static void describe(Map<String, String> out, String direction, IpPermission p) {
        String what = "-1".equals(p.ipProtocol()) ? "all" : p.ipProtocol() + " " + p.fromPort()
                + (p.fromPort().equals(p.toPort()) ? "" : "-" + p.toPort());
        p.ipRanges().forEach(r -> out.put(direction + what + " " + r.cidrIp(), String.valueOf(r.description())));
        p.ipv6Ranges().forEach(r -> out.put(direction + what + " " + r.cidrIpv6(), String.valueOf(r.description())));
        p.userIdGroupPairs().forEach(r -> out.put(direction + what + " " + r.groupId(), String.valueOf(r.description())));
        p.prefixListIds().forEach(r -> out.put(direction + what + " " + r.prefixListId(), String.valueOf(r.description())));
    }
}
