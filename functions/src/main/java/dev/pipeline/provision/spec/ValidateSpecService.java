package dev.pipeline.provision.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.InvalidSpecException;
import dev.pipeline.spec.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates a spec document: its format and rules (the spec package), then its references against the account
 * (region, VPC, subnets, zones). Either returns the normalized document (every default written out) or fails
 * with every problem found, before any later stage touches anything. Read-only, so repeating it is harmless.
 */
public final class ValidateSpecService {
    private final NetworkGateway network;
    private final String awsRegion;
    private final dev.pipeline.provision.bootstrap.BootstrapArtifacts bootstrap;

    public ValidateSpecService(NetworkGateway network, String awsRegion) {
        this(network, awsRegion, null);
    }

    /** With {@code bootstrap}, the account checks also refuse a bootstrap WAR the spec names that does not exist. */
    public ValidateSpecService(NetworkGateway network, String awsRegion, dev.pipeline.provision.bootstrap.BootstrapArtifacts bootstrap) {
        this.network = network;
        this.awsRegion = awsRegion;
        this.bootstrap = bootstrap;
    }

    public ObjectNode validate(JsonNode document) {
        return validate(document, true);
    }

    /** Format checks always; the account checks (VPC, subnets, region) only when {@code checkNetwork}. */
    public ObjectNode validate(JsonNode document, boolean checkNetwork) {
        List<Problem> problems = new ArrayList<>();
        EnvironmentSpec spec = null;
        try {
            spec = EnvironmentSpecs.fromTree(document);
        } catch (InvalidSpecException e) {
            problems.addAll(e.problems());
        }
        if (checkNetwork) {
            SpecReferences refs = SpecReferences.from(document, problems);
            Set<String> vpcs = network.existingVpcs(refs.vpc().map(IdRef::id).stream().toList());
            problems.addAll(ReferenceChecks.problems(refs, vpcs, network.subnets(refs.subnetIds()), awsRegion));
            if (bootstrap != null && spec != null) {
                bootstrap.missingNamedWar(spec).ifPresent(m -> problems.add(new Problem("artifacts.bootstrapWarKey", m)));
            }
        }
        if (!problems.isEmpty()) {
            throw new StageFailedException(new InvalidSpecException(problems).getMessage());
        }
        return EnvironmentSpecs.toTree(spec); // no problems: the spec parsed
    }
}
