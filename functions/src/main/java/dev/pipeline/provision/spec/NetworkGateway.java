package dev.pipeline.provision.spec;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks up the VPC and subnets a spec names. Read-only. Filters rather than ids in the request, because
 * DescribeVpcs/DescribeSubnets with an unknown id fail the whole call (InvalidVpcID.NotFound), while a filter
 * just leaves it out, so every missing id can be reported at once.
 */
public class NetworkGateway {
    private final Ec2Client ec2;

    public NetworkGateway(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** The ids among {@code vpcIds} that exist. */
    public Set<String> existingVpcs(Collection<String> vpcIds) {
        Set<String> found = new LinkedHashSet<>();
        if (vpcIds.isEmpty()) {
            return found;
        }
        ec2.describeVpcsPaginator(b -> b.filters(filter("vpc-id", vpcIds))).vpcs().forEach(v -> found.add(v.vpcId()));
        return found;
    }

    /** The subnets among {@code subnetIds} that exist, by id. */
    public Map<String, Subnet> subnets(Collection<String> subnetIds) {
        Map<String, Subnet> found = new LinkedHashMap<>();
        if (subnetIds.isEmpty()) {
            return found;
        }
        ec2.describeSubnetsPaginator(b -> b.filters(filter("subnet-id", subnetIds))).subnets()
                .forEach(s -> found.put(s.subnetId(), new Subnet(s.subnetId(), s.vpcId(), s.availabilityZone())));
        return found;
    }

    private static Filter filter(String name, Collection<String> values) {
        return Filter.builder().name(name).values(List.copyOf(values)).build();
    }
}
