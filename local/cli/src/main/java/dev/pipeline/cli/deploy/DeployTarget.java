package dev.pipeline.cli.deploy;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.env.LocalTarget;
import dev.pipeline.cli.local.LocalControl;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the deploy commands act: the environment, its artifact bucket, releases and lock tables, the deploy state
 * machine, and SDK clients for the cloud they live in (the local cloud, or the AWS account of a stack).
 *
 * @param lockTable null when a stack does not say (its outputs predate DeployLockTableName): status then omits the lock
 */
public record DeployTarget(String environment, String bucket, String releasesTable, String lockTable,
                           String deployMachineArn, LocalDeployment.Clients clients) {

    /** The options every deploy command shares. */
    public static List<Option> options() {
        return List.of(
                Option.value("environment", "NAME", "vprofile", "The environment (the spec's name)"),
                Option.value("port", "N", "4566", "Local cloud port on 127.0.0.1"),
                Option.flag("json", "Print one JSON document instead of progress lines"),
                Option.flag("aws", "Act on a stack deployed with sam deploy (--stack NAME)"),
                Option.value("stack", "NAME", null, "With --aws: the stack 'sam deploy' created"));
    }

    /**
     * The target the options name. Locally the local cloud must be running (the environment lives in it); template.yaml
     * is deployed to it again first, as {@code up} does, so the state machine and functions match this checkout.
     */
    public static DeployTarget resolve(Options options, CliContext context, PrintStream progress) throws IOException {
        if (options.flag("aws")) {
            String stack = options.value("stack").orElseThrow(() -> new CommandFailedException("--aws needs --stack NAME (the stack 'sam deploy' created)"));
            return aws(stack);
        }
        String env = options.value("environment").orElse("vprofile");
        int port = options.intValue("port", 1, 65535);
        LocalControl control = new LocalControl(port);
        if (control.status().isEmpty()) {
            throw new CommandFailedException("no local cloud on port " + port
                    + " (start one and provision the environment first: ./pipeline up)");
        }
        LocalTarget target = new LocalTarget(control.endpoint());
        progress.println("Deploying template.yaml to the local cloud at " + target.endpoint() + " ...");
        return of(target.deploy(context.workspace().root(), env), target::client);
    }

    /** A target from a local deployment (template.yaml deployed to a local cloud). */
    public static DeployTarget of(LocalDeployment.Deployed deployed, LocalDeployment.Clients clients) {
        Map<String, String> env = deployed.functionEnvironment();
        return new DeployTarget(deployed.environment(), deployed.bucket(), required(env, "RELEASES_TABLE"),
                required(env, "LOCK_TABLE"), deployed.stateMachineArn("DeployStateMachine"), clients);
    }

    public static DeployTarget inProcess(LocalCloud cloud, LocalDeployment.Deployed deployed) {
        return of(deployed, cloud::client);
    }

    /** The stack's outputs and its EnvironmentName parameter; clients from the usual AWS credentials and region. */
    public static DeployTarget aws(String stackName) {
        Stack stack;
        try (CloudFormationClient cfn = CloudFormationClient.create()) {
            stack = cfn.describeStacks(b -> b.stackName(stackName)).stacks().getFirst();
        }
        String env = stack.parameters().stream().filter(p -> p.parameterKey().equals("EnvironmentName"))
                .map(Parameter::parameterValue).findFirst()
                .orElseThrow(() -> new CommandFailedException("stack " + stackName + " has no EnvironmentName parameter (is it this project's template?)"));
        return new DeployTarget(env, output(stack, "ArtifactBucketName", true), output(stack, "ReleasesTableName", true),
                output(stack, "DeployLockTableName", false), output(stack, "DeployStateMachineArn", true), new AwsClients());
    }

    public <T extends SdkClient> T client(Class<T> type) { return clients.get(type); }

    /** The ARN of this state machine's execution called {@code name}. */
    public String executionArn(String name) {
        return deployMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    private static String output(Stack stack, String key, boolean required) {
        String v = stack.outputs().stream().filter(o -> o.outputKey().equals(key)).map(Output::outputValue).findFirst().orElse(null);
        if (v == null && required) {
            throw new CommandFailedException("stack " + stack.stackName() + " has no output " + key
                    + " (deploy this checkout's template.yaml with sam deploy)");
        }
        return v;
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null) throw new IllegalStateException("template.yaml gives no function " + name + ": the deploy workflow needs it");
        return v;
    }

    /** Default SDK clients (credentials and region from the environment), made once each. */
    private static final class AwsClients implements LocalDeployment.Clients {
        private final Map<Class<?>, SdkClient> made = new ConcurrentHashMap<>();

        @Override
        public <T extends SdkClient> T get(Class<T> type) {
            return type.cast(made.computeIfAbsent(type, t -> {
                try {
                    return (SdkClient) t.getMethod("create").invoke(null);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot create an AWS client of " + t.getSimpleName(), e);
                }
            }));
        }
    }
}
