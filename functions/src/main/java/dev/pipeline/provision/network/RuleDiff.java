package dev.pipeline.provision.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What turns one group's actual rules into the desired ones: rules to authorize (missing), rules to revoke
 * (unexpected, or a second copy of a key), and rules whose description to rewrite. Rules are compared by
 * {@link SgRule.Key}; a description that differs never causes a revoke (that would cut traffic for a moment).
 *
 * <p>A group-referencing rule reported WITHOUT a description is taken as matching: moto's
 * DescribeSecurityGroupRules drops the description of every such rule, and rewriting it on every run would
 * hide real changes. On AWS this means a group rule someone re-added by hand without a description keeps none.
 */
public record RuleDiff(List<SgRule> toAuthorize, List<ActualRule> toRevoke, List<Redescribe> toRedescribe) {

    /** An existing rule that stays, with the description it should have. */
    public record Redescribe(ActualRule actual, String description) {}

    public RuleDiff {
        toAuthorize = List.copyOf(toAuthorize);
        toRevoke = List.copyOf(toRevoke);
        toRedescribe = List.copyOf(toRedescribe);
    }

    public static RuleDiff between(Collection<SgRule> desired, Collection<ActualRule> actual) {
        Map<SgRule.Key, SgRule> wanted = new LinkedHashMap<>();
        desired.forEach(r -> wanted.putIfAbsent(r.key(), r));
        Map<SgRule.Key, ActualRule> kept = new LinkedHashMap<>();
        List<ActualRule> revoke = new ArrayList<>();
        List<Redescribe> redescribe = new ArrayList<>();
        for (ActualRule a : actual) {
            SgRule.Key key = a.rule().key();
            SgRule want = wanted.get(key);
            if (want == null || kept.containsKey(key)) {
                revoke.add(a);
                continue;
            }
            kept.put(key, a);
            if (!descriptionMatches(a.rule(), want.description())) {
                redescribe.add(new Redescribe(a, want.description()));
            }
        }
        List<SgRule> authorize = wanted.values().stream().filter(r -> !kept.containsKey(r.key())).toList();
        return new RuleDiff(authorize, revoke, redescribe);
    }

    public boolean isEmpty() {
        return toAuthorize.isEmpty() && toRevoke.isEmpty() && toRedescribe.isEmpty();
    }

    private static boolean descriptionMatches(SgRule actual, String wanted) {
        if (actual.description() == null && actual.peer().kind() == Peer.Kind.GROUP) {
            return true; // not reported (moto) — see the class comment
        }
        return Objects.equals(actual.description(), wanted);
    }
}
