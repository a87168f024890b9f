package dev.pipeline.provision.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import dev.pipeline.spec.InvalidSpecException;
import dev.pipeline.spec.Problem;

import dev.pipeline.provision.preflight.AccountGateway;
import dev.pipeline.provision.preflight.PreflightChecks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a spec document: its format and rules (the spec package), then its references against the account
 * (region, VPC, subnets, zones), then whether the account can take it (the preflight: VPC DNS attributes, routes
 * and endpoints, service-linked roles, images, quotas, names; {@link PreflightChecks}). Either returns the normalized document (every default written out) or fails
 * with every problem found, before any later stage touches anything. Read-only, so repeating it is harmless.
 */
public final class ValidateSpecService {
    private final NetworkGateway network;
    private final AccountGateway account;
    private final String awsRegion;
    private final Set<String> creatableRoles;
    private final dev.pipeline.provision.bootstrap.BootstrapArtifacts bootstrap;

    /**
     * @param creatableRoles services whose service-linked role the stack may create (template.yaml grants
     *                       {@code iam:CreateServiceLinkedRole} for them)
     */
    public ValidateSpecService(NetworkGateway network, AccountGateway account, String awsRegion, Set<String> creatableRoles) {
        this(network, account, awsRegion, creatableRoles, null);
    }

    /** With {@code bootstrap}, the preflight also refuses a bootstrap WAR the spec names that does not exist. */
    public ValidateSpecService(NetworkGateway network, AccountGateway account, String awsRegion, Set<String> creatableRoles,
                               dev.pipeline.provision.bootstrap.BootstrapArtifacts bootstrap) {
        this.network = network;
        this.account = account;
        this.awsRegion = awsRegion;
        this.creatableRoles = Set.copyOf(creatableRoles);
        this.bootstrap = bootstrap;
    }

    public ObjectNode validate(JsonNode document) {
        return validate(document, true);
    }

    /** Format checks always; the account checks (references and preflight) only when {@code checkNetwork}. */
    public ObjectNode validate(JsonNode document, boolean checkNetwork) {
        List<Problem> problems = checkNetwork ? preflight(document) : formatProblems(document);
        if (!problems.isEmpty()) {
            throw new StageFailedException(new InvalidSpecException(problems).getMessage());
        }
        return EnvironmentSpecs.toTree(EnvironmentSpecs.fromTree(document)); // no problems: the spec parses
    }

    /** Every problem of the document and of the account for it, all at once (empty: the account can take it). */
    public List<Problem> preflight(JsonNode document) {
        List<Problem> problems = formatProblems(document);
        SpecReferences refs = SpecReferences.from(document, problems);
        Set<String> vpcs = network.existingVpcs(refs.vpc().map(IdRef::id).stream().toList());
        problems.addAll(ReferenceChecks.problems(refs, vpcs, network.subnets(refs.subnetIds()), awsRegion));
        EnvironmentSpec spec = parsed(document);
        if (spec != null) {
            Optional<String> vpc = Optional.of(spec.network().vpcId()).filter(vpcs::contains);
            problems.addAll(PreflightChecks.problems(spec, account.read(spec, vpc), awsRegion, creatableRoles));
            if (bootstrap != null) {
                bootstrap.missingNamedWar(spec).ifPresent(m -> problems.add(new Problem("artifacts.bootstrapWarKey", m)));
            }
        }
        return problems;
    }

    private static List<Problem> formatProblems(JsonNode document) {
        try {
            EnvironmentSpecs.fromTree(document);
            return new ArrayList<>();
        } catch (InvalidSpecException e) {
            return new ArrayList<>(e.problems());
        }
    }

    private static EnvironmentSpec parsed(JsonNode document) {
        try {
            return EnvironmentSpecs.fromTree(document);
        } catch (InvalidSpecException e) {
            return null;
        }
    }
}
