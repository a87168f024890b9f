package dev.pipeline.provision.spec;

import dev.pipeline.spec.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a spec's references against what exists in the account: the region the pipeline runs in, the VPC,
 * every subnet and its VPC, and the Availability Zones of the public subnets. Pure: the caller looks the
 * resources up. One clear problem per cause: when the VPC itself is missing, subnets are not also blamed for
 * being outside it.
 */
public final class ReferenceChecks {

    /** An internet-facing Application Load Balancer needs subnets in at least this many Availability Zones. */
    static final int MIN_LOAD_BALANCER_ZONES = 2;

    private ReferenceChecks() {
    }

    /**
     * @param existingVpcs the VPC ids of {@code refs} that exist
     * @param subnets      the subnets of {@code refs} that exist, by id
     * @param awsRegion    the region this pipeline runs in ({@code AWS_REGION})
     */
    public static List<Problem> problems(SpecReferences refs, Set<String> existingVpcs, Map<String, Subnet> subnets,
                                         String awsRegion) {
        List<Problem> problems = new ArrayList<>();
        refs.region().filter(r -> !r.id().equals(awsRegion)).ifPresent(r -> problems.add(new Problem(r.path(),
                "the spec says " + r.id() + ", but the pipeline runs in " + awsRegion + " and builds there; deploy the "
                        + "stack in " + r.id() + ", or change region to " + awsRegion + " (or leave it out)")));

        boolean vpcExists = refs.vpc().map(v -> existingVpcs.contains(v.id())).orElse(false);
        refs.vpc().filter(v -> !vpcExists).ifPresent(v -> problems.add(new Problem(v.path(),
                "VPC " + v.id() + " does not exist in " + awsRegion + " (or this account cannot see it)")));

        boolean publicSubnetsUsable = true;
        for (IdRef ref : refs.publicSubnets()) {
            publicSubnetsUsable &= subnet(ref, refs, vpcExists, subnets, awsRegion, problems);
        }
        for (IdRef ref : refs.appSubnets()) {
            subnet(ref, refs, vpcExists, subnets, awsRegion, problems);
        }

        if (refs.publicSubnetsComplete() && publicSubnetsUsable && vpcExists) {
            Set<String> zones = new TreeSet<>();
            refs.publicSubnets().forEach(r -> zones.add(subnets.get(r.id()).availabilityZone()));
            if (zones.size() < MIN_LOAD_BALANCER_ZONES) {
                problems.add(new Problem("network.publicSubnets", "all in one Availability Zone (" + String.join(", ", zones)
                        + "); an internet-facing load balancer needs subnets in at least " + MIN_LOAD_BALANCER_ZONES
                        + " Availability Zones, so add a public subnet of another zone"));
            }
        }
        return problems;
    }

    /** Adds the subnet's problem, if any; true when it exists in the spec's VPC. */
    private static boolean subnet(IdRef ref, SpecReferences refs, boolean vpcExists, Map<String, Subnet> subnets,
                                  String awsRegion, List<Problem> problems) {
        Subnet found = subnets.get(ref.id());
        if (found == null) {
            problems.add(new Problem(ref.path(), "subnet " + ref.id() + " does not exist in " + awsRegion
                    + " (or this account cannot see it)"));
            return false;
        }
        if (!vpcExists) {
            return false; // the VPC is already reported; membership of a VPC that is not there says nothing new
        }
        String vpcId = refs.vpc().orElseThrow().id();
        if (!vpcId.equals(found.vpcId())) {
            problems.add(new Problem(ref.path(), "subnet " + ref.id() + " is in " + found.vpcId() + ", not in "
                    + vpcId + " (network.vpcId)"));
            return false;
        }
        return true;
    }
}
