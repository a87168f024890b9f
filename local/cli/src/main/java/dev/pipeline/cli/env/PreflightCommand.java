package dev.pipeline.cli.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.local.LocalControl;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.provision.preflight.AccountGateway;
import dev.pipeline.provision.spec.NetworkGateway;
import dev.pipeline.provision.spec.ValidateSpecHandler;
import dev.pipeline.provision.spec.ValidateSpecService;
import dev.pipeline.spec.Problem;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code preflight}: whether an account can take a spec, with every problem at once, before anything is created.
 * The same checks ValidateSpec runs at the start of provisioning (format, references, then the account:
 * VPC DNS attributes, routes and endpoints, service-linked roles, images, quotas, names).
 */
public final class PreflightCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One problem line of an InvalidSpecException message: "  - path: reason". */
    private static final Pattern PROBLEM_LINE = Pattern.compile("(?m)^\\s*- ([^:\\s]+): (.*)$");

    @Override public String name() { return "preflight"; }

    @Override public String summary() { return "Check that an account can take a spec (VPC DNS, routes, roles, quotas, images) before anything is created"; }

    @Override public String description() {
        return """
            Runs the checks provisioning starts with, and nothing else: the spec's format and rules; its region, VPC and
            subnets; the VPC's enableDnsSupport and enableDnsHostnames (the private zone needs both); public subnets
            in two or more Availability Zones routed to an internet gateway; app subnets that reach S3 and Systems
            Manager (a NAT gateway, an internet gateway with public IPs on launch, or VPC endpoints), and the internet
            for rmq01's packages; the Elastic Load Balancing and Auto Scaling service-linked roles (present, or
            creatable by the stack); the images; the On-Demand vCPU and load balancer quotas; the names' lengths; a
            bootstrap WAR the spec names (artifacts.bootstrapWarKey) must exist (before 'sam deploy', only a bucket of
            your own, artifacts.bucket, can hold it).
            Prints every problem with what to change.

            Locally (the default) against the local cloud on 127.0.0.1:PORT, started if needed; like 'up', it uses the
            demo network when the spec's VPC does not exist there. With --aws, against your account (your usual
            credentials and region) before 'sam deploy'; with --aws --stack NAME, by the deployed stack's own
            ValidateSpec function, with the rights provisioning will have.
            Exit 0 when the account can take the spec, 1 with problems.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("spec", "FILE", "examples/vprofile.json", "The environment spec"),
                Option.value("port", "N", "4566", "Local cloud port on 127.0.0.1"),
                Option.flag("json", "Print one JSON document: {ok, target, problems: [{path, reason}]}"),
                Option.flag("aws", "Check your AWS account instead of the local cloud"),
                Option.value("stack", "NAME", null, "With --aws: run the checks through this stack's ValidateSpec function"));
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        boolean json = options.flag("json");
        PrintStream out = context.out();
        PrintStream progress = json ? context.err() : out;
        Path root = context.workspace().root();
        Path specFile = root.resolve(options.value("spec").orElse("examples/vprofile.json"));
        ObjectNode spec = EnvironmentCommand.readSpec(specFile);

        String target;
        List<Problem> problems;
        if (options.flag("aws") && options.value("stack").isPresent()) {
            String stack = options.value("stack").get();
            target = "stack " + stack + " (its ValidateSpec function)";
            problems = throughStack(stack, spec);
        } else if (options.flag("aws")) {
            String region = new DefaultAwsRegionProviderChain().getRegion().id();
            target = "AWS account, region " + region;
            problems = service(new AwsClientSource(), region, root, null).preflight(spec);
        } else {
            if (options.value("stack").isPresent()) throw new CommandFailedException("--stack goes with --aws");
            int port = options.intValue("port", 1, 65535);
            EnvironmentCommand.ensureLocalCloud(port, context);
            LocalTarget local = new LocalTarget(new LocalControl(port).endpoint());
            target = "local cloud at " + local.endpoint();
            Ec2Client ec2 = local.client(Ec2Client.class);
            if (DemoNetwork.needed(ec2, spec)) {
                String vpc = DemoNetwork.apply(ec2, local.client(ServiceQuotasClient.class), spec);
                progress.println("The spec's VPC does not exist in the local cloud: checking the demo network " + vpc + " instead.");
            }
            problems = service(local::client, LocalCloud.REGION, root,
                    dev.pipeline.local.deploy.LocalDeployment.bucketName(spec.path("name").asText())).preflight(spec);
        }

        if (json) {
            ObjectNode doc = JSON.createObjectNode().put("ok", problems.isEmpty()).put("target", target)
                    .put("spec", context.workspace().show(specFile));
            ArrayNode list = doc.putArray("problems");
            problems.forEach(p -> list.addObject().put("path", p.path()).put("reason", p.reason()));
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else if (problems.isEmpty()) {
            out.println("Preflight of " + context.workspace().show(specFile) + " against the " + target
                    + ": OK, the account can take this spec.");
        } else {
            out.println("Preflight of " + context.workspace().show(specFile) + " against the " + target + ": "
                    + problems.size() + (problems.size() == 1 ? " problem" : " problems") + " to fix before provisioning:");
            problems.forEach(p -> out.println("  - " + p.path() + ": " + p.reason()));
        }
        return problems.isEmpty() ? Main.OK : Main.FAILED;
    }

    /** SDK clients of the target. */
    private interface ClientSource {
        <T extends SdkClient> T get(Class<T> type);
    }

    /** Your usual credentials and region; IAM is global. */
    private static final class AwsClientSource implements ClientSource {
        @Override
        @SuppressWarnings("unchecked")
        public <T extends SdkClient> T get(Class<T> type) {
            try {
                return (T) type.getMethod("create").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
            }
        }
    }

    /**
     * The checks ValidateSpec runs, in this process; the creatable roles as template.yaml grants them.
     * {@code stackBucket}: where the stack keeps its artifacts, or null when no stack has made it yet.
     */
    private static ValidateSpecService service(ClientSource clients, String region, Path root, String stackBucket) throws Exception {
        SamTemplate template = SamTemplate.read(SamTemplate.locate(root));
        String creatable = template.functions().stream().filter(f -> f.logicalId().equals("ValidateSpecFunction"))
                .findFirst().map(f -> f.environment().getOrDefault(ValidateSpecHandler.CREATABLE_ROLES, "")).orElse("");
        Ec2Client ec2 = clients.get(Ec2Client.class);
        AccountGateway account = new AccountGateway(ec2, clients.get(SsmClient.class), clients.get(IamClient.class),
                clients.get(ServiceQuotasClient.class), clients.get(ElasticLoadBalancingV2Client.class));
        var bootstrap = new dev.pipeline.provision.bootstrap.BootstrapArtifacts(
                new dev.pipeline.provision.bootstrap.BootstrapGateway(clients.get(software.amazon.awssdk.services.s3.S3Client.class)),
                stackBucket);
        return new ValidateSpecService(new NetworkGateway(ec2), account, region, ValidateSpecHandler.creatableRoles(creatable),
                bootstrap);
    }

    /** Invokes the stack's ValidateSpec function; its failure message lists the problems, one a line. */
    private static List<Problem> throughStack(String stack, ObjectNode spec) throws Exception {
        String function;
        try (CloudFormationClient cfn = CloudFormationClient.create()) {
            function = cfn.describeStackResource(b -> b.stackName(stack).logicalResourceId("ValidateSpecFunction"))
                    .stackResourceDetail().physicalResourceId();
        }
        ObjectNode payload = JSON.createObjectNode();
        payload.set("spec", spec);
        try (LambdaClient lambda = LambdaClient.create()) {
            InvokeResponse r = lambda.invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(payload.toString())));
            if (r.functionError() == null) return List.of();
            JsonNode error = JSON.readTree(r.payload().asString(StandardCharsets.UTF_8));
            return parse(error.path("errorMessage").asText(r.payload().asUtf8String()));
        }
    }

    static List<Problem> parse(String message) {
        List<Problem> problems = new ArrayList<>();
        Matcher m = PROBLEM_LINE.matcher(message);
        while (m.find()) problems.add(new Problem(m.group(1), m.group(2)));
        if (problems.isEmpty()) problems.add(new Problem("$", message));
        return problems;
    }
}
