package dev.pipeline.provision.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.spec.Problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The things in AWS a spec document points at (its region, VPC and subnets), read from the raw document so
 * that they can be checked even when another part of the spec is invalid: a user then learns about a mistyped
 * fleet size and a nonexistent VPC in one round. A value that already has a format problem is left out, so it
 * is not reported twice.
 *
 * @param publicSubnetsComplete every public subnet entry is well formed and there are enough of them, so an
 *                              Availability Zone count over them means something
 */
public record SpecReferences(Optional<IdRef> region, Optional<IdRef> vpc, List<IdRef> publicSubnets,
                             List<IdRef> appSubnets, boolean publicSubnetsComplete) {

    public SpecReferences {
        publicSubnets = List.copyOf(publicSubnets);
        appSubnets = List.copyOf(appSubnets);
    }

    /** The references of {@code document} that have none of {@code formatProblems}. */
    public static SpecReferences from(JsonNode document, Collection<Problem> formatProblems) {
        Set<String> bad = new LinkedHashSet<>();
        formatProblems.forEach(p -> bad.add(p.path()));
        if (document == null || !document.isObject()) {
            return new SpecReferences(Optional.empty(), Optional.empty(), List.of(), List.of(), false);
        }
        Optional<IdRef> region = text(document.get("region"), "region", bad);
        JsonNode network = document.get("network");
        if (network == null || !network.isObject()) {
            return new SpecReferences(region, Optional.empty(), List.of(), List.of(), false);
        }
        Optional<IdRef> vpc = text(network.get("vpcId"), "network.vpcId", bad);
        List<IdRef> publicSubnets = list(network.get("publicSubnets"), "network.publicSubnets", bad);
        List<IdRef> appSubnets = list(network.get("appSubnets"), "network.appSubnets", bad);
        boolean complete = network.path("publicSubnets").isArray()
                && publicSubnets.size() == network.get("publicSubnets").size()
                && bad.stream().noneMatch(p -> p.equals("network.publicSubnets") || p.startsWith("network.publicSubnets["));
        return new SpecReferences(region, vpc, publicSubnets, appSubnets, complete);
    }

    /** Every subnet id named, once. */
    public Set<String> subnetIds() {
        Set<String> ids = new LinkedHashSet<>();
        publicSubnets.forEach(r -> ids.add(r.id()));
        appSubnets.forEach(r -> ids.add(r.id()));
        return ids;
    }

    private static Optional<IdRef> text(JsonNode value, String path, Set<String> bad) {
        if (value == null || !value.isTextual() || bad.contains(path)) {
            return Optional.empty();
        }
        return Optional.of(new IdRef(path, value.asText()));
    }

    private static List<IdRef> list(JsonNode array, String path, Set<String> bad) {
        List<IdRef> refs = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return refs;
        }
        for (int i = 0; i < array.size(); i++) {
            text(array.get(i), path + "[" + i + "]", bad).ifPresent(refs::add);
        }
        return refs;
    }
}
