package dev.pipeline.provision.network;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides which existing group, if any, is the environment's group for a component. Identity is the tags
 * ({@code pipeline:environment}, {@code pipeline:component}); the name is unique in a VPC, so a group that
 * holds the name without the tags is someone else's, and the pipeline refuses to adopt it (it would revoke
 * that group's rules). Pure.
 */
public final class ExistingGroups {
    private final String environment;
    private final String vpcId;
    private final List<FoundGroup> inVpc;

    /** @param inVpc the groups of the VPC that carry the environment's tag or one of its group names */
    public ExistingGroups(String environment, String vpcId, List<FoundGroup> inVpc) {
        this.environment = environment;
        this.vpcId = vpcId;
        this.inVpc = List.copyOf(inVpc);
    }

    /** The id of the component's group, or empty when it must be created. */
    public Optional<String> idOf(String component, String expectedName) {
        List<FoundGroup> tagged = inVpc.stream()
                .filter(g -> environment.equals(g.tags().get(EnvironmentSpec.TAG_ENVIRONMENT))
                        && component.equals(g.tags().get(EnvironmentSpec.TAG_COMPONENT)))
                .toList();
        if (tagged.size() > 1) {
            throw new StageFailedException(tagged.size() + " security groups in " + vpcId + " are tagged "
                    + tags(component) + ": " + tagged.stream().map(FoundGroup::label).collect(Collectors.joining(", "))
                    + "; the pipeline needs exactly one, so delete the ones it did not create");
        }
        if (tagged.size() == 1) {
            return Optional.of(tagged.getFirst().groupId());
        }
        Optional<FoundGroup> named = inVpc.stream().filter(g -> expectedName.equals(g.name())).findFirst();
        if (named.isPresent()) {
            throw new StageFailedException("security group " + named.get().label() + " already exists in " + vpcId
                    + " but is not tagged " + tags(component) + ", so it was not made by this pipeline; delete or "
                    + "rename it, or tag it if it really is this environment's group");
        }
        return Optional.empty();
    }

    private String tags(String component) {
        return EnvironmentSpec.TAG_ENVIRONMENT + "=" + environment + ", " + EnvironmentSpec.TAG_COMPONENT + "=" + component;
    }
}
