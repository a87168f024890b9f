package dev.pipeline.cli.local;

import dev.pipeline.cli.Workspace;
import dev.pipeline.local.lambda.FunctionDefinition;

import java.util.List;

/**
 * The product's Lambda functions that {@code local serve} registers, so state machines' Task states reach
 * our handlers. Deliberately empty for now: the hook for reading template.yaml's
 * {@code AWS::Serverless::Function} resources (name, Handler, Timeout, Environment) once the template exists.
 */
public final class FunctionCatalog {
    private FunctionCatalog() {}

    /** The functions template.yaml declares in {@code workspace}; none until the template has functions. */
    public static List<FunctionDefinition> product(Workspace workspace) {
        return List.of();
    }
}
