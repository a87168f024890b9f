package dev.pipeline.provision.spec;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.preflight.AccountGateway;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.Map;

/** ValidateSpec: {@code $.spec} in, the normalized spec out (the ASL puts it back at {@code $.spec}); read-only. */
public final class ValidateSpecHandler extends JsonHandler<ValidateSpecInput, JsonNode> {
    private final ValidateSpecService service;

    public ValidateSpecHandler() { this(System.getenv()); }

    public ValidateSpecHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public ValidateSpecHandler(ValidateSpecService service) {
        super(ValidateSpecInput.class);
        this.service = service;
    }

    private static ValidateSpecService wire(Env env) {
        AwsClients aws = new AwsClients(env);
        Ec2Client ec2 = aws.get(Ec2Client.class, Ec2Client::builder);
        AccountGateway account = new AccountGateway(ec2, aws.get(SsmClient.class, SsmClient::builder),
                aws.get(IamClient.class, () -> IamClient.builder()), aws.get(ServiceQuotasClient.class, ServiceQuotasClient::builder),
                aws.get(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder));
        return new ValidateSpecService(new NetworkGateway(ec2), account, env.require("AWS_REGION"),
                creatableRoles(env.optional(CREATABLE_ROLES, "")),
                new dev.pipeline.provision.bootstrap.BootstrapArtifacts(new dev.pipeline.provision.bootstrap.BootstrapGateway(
                        aws.get(software.amazon.awssdk.services.s3.S3Client.class, software.amazon.awssdk.services.s3.S3Client::builder)),
                        env.require("ARTIFACT_BUCKET")));
    }

    /**
     * {@value #CREATABLE_ROLES}: the services (e.g. {@code autoscaling.amazonaws.com}) whose service-linked role
     * template.yaml lets the provisioning stages create; kept equal to those grants by a template test.
     */
    public static final String CREATABLE_ROLES = "CREATABLE_SERVICE_LINKED_ROLES";

    public static java.util.Set<String> creatableRoles(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    protected JsonNode handle(ValidateSpecInput input, Context context) { return service.validate(input.spec(), input.checksNetwork()); }
}
