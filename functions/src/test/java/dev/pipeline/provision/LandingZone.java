package dev.pipeline.provision;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.account.AccountReadiness;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.deploy.TemplatePolicies;
import dev.pipeline.local.iam.RoleCredentials;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a user's account has before the pipeline runs, and what template.yaml creates around the workflows,
 * built in the local cloud: a VPC with two public and two app subnets in two AZs, the two instance profiles,
 * the artifact bucket with a bootstrap WAR, the notification topic. Plus the example spec pointed at them.
 */
public record LandingZone(String vpcId, List<String> publicSubnets, List<String> appSubnets,
                          String bucket, String appProfile, String backendProfile, String topicArn) {

    public static final String ENVIRONMENT = "vprofile";
    /** template.yaml's CodeDeployServiceRole, as the local deployment names it. */
    public static final String CODEDEPLOY_SERVICE_ROLE = ENVIRONMENT + "-CodeDeployServiceRole";

    /** Only what the user's account has before the pipeline: the VPC and its subnets (template.yaml makes the rest). */
    public static LandingZone network(LocalCloud cloud) {
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpc));
        List<String> pub = List.of(subnet(ec2, vpc, "10.40.0.0/24", "us-east-1a"), subnet(ec2, vpc, "10.40.1.0/24", "us-east-1b"));
        List<String> app = List.of(subnet(ec2, vpc, "10.40.10.0/24", "us-east-1a"), subnet(ec2, vpc, "10.40.11.0/24", "us-east-1b"));
        ready(cloud, vpc, igw, pub, app);
        return new LandingZone(vpc, pub, app, null, null, null, null);
    }

    public static LandingZone create(LocalCloud cloud) {
        return create(cloud, true);
    }

    /** @param raiseVcpuQuota false: the account keeps a new account's 5 On-Demand vCPUs, too few for the example */
    public static LandingZone create(LocalCloud cloud, boolean raiseVcpuQuota) {
        Ec2Client ec2 = cloud.client(Ec2Client.class);
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        ec2.createTags(b -> b.resources(vpc).tags(Tag.builder().key("Name").value("landing-zone").build()));
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpc));
        List<String> pub = List.of(subnet(ec2, vpc, "10.40.0.0/24", "us-east-1a"), subnet(ec2, vpc, "10.40.1.0/24", "us-east-1b"));
        List<String> app = List.of(subnet(ec2, vpc, "10.40.10.0/24", "us-east-1a"), subnet(ec2, vpc, "10.40.11.0/24", "us-east-1b"));
        AccountReadiness.network(ec2, vpc, igw, pub, app);
        if (raiseVcpuQuota) AccountReadiness.vcpuQuota(cloud.client(ServiceQuotasClient.class));

        IamClient iam = cloud.client(IamClient.class);
        String appProfile = profile(iam, ENVIRONMENT + "-app", "AppInstanceRole");
        String backendProfile = profile(iam, ENVIRONMENT + "-backend", "BackendInstanceRole");
        iam.createRole(b -> b.roleName(CODEDEPLOY_SERVICE_ROLE).assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""));

        S3Client s3 = cloud.client(S3Client.class);
        String bucket = ENVIRONMENT + "-artifacts-123456789012";
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));

        String topic = cloud.client(SnsClient.class).createTopic(b -> b.name(ENVIRONMENT + "-notifications")).topicArn();
        return new LandingZone(vpc, pub, app, bucket, appProfile, backendProfile, topic);
    }

    /**
     * What the preflight requires of a user's account (as the demo network has it): DNS support and hostnames,
     * public subnets routed to the internet gateway, app subnets to a NAT gateway, and more than a new account's
     * 5 On-Demand vCPUs. Tests of a preflight check undo one of these.
     */
    private static void ready(LocalCloud cloud, String vpc, String igw, List<String> pub, List<String> app) {
        AccountReadiness.network(cloud.client(Ec2Client.class), vpc, igw, pub, app);
        AccountReadiness.vcpuQuota(cloud.client(ServiceQuotasClient.class));
    }

    /**
     * The environment template.yaml gives function {@code logicalId} (e.g. {@code "ProvisionDnsFunction"}), calling AWS
     * as that function's execution role: the role exists in the local cloud's IAM with the policies the template gives
     * it (parameters at their defaults), so the local cloud refuses what AWS would refuse the deployed function, and
     * the permissions report counts what the stage test makes it use.
     */
    public Map<String, String> functionEnvironment(LocalCloud cloud, String logicalId) {
        return functionEnvironment(cloud, logicalId, Map.of());
    }

    /** As {@link #functionEnvironment(LocalCloud, String)}, the role's policies from the template with {@code parameters}. */
    public Map<String, String> functionEnvironment(LocalCloud cloud, String logicalId, Map<String, String> parameters) {
        return asRole(functionEnvironment(cloud), cloud, logicalId, parameters);
    }

    /**
     * {@code env} (changed in place) with the credentials of function {@code logicalId}'s execution role as
     * template.yaml gives it ({@link #functionRole}): the handler built with it calls AWS as the deployed function.
     */
    public static Map<String, String> asRole(Map<String, String> env, LocalCloud cloud, String logicalId, Map<String, String> parameters) {
        String role = functionRole(cloud, logicalId, parameters);
        env.put("AWS_ACCESS_KEY_ID", RoleCredentials.accessKeyFor(role));
        env.put("AWS_SECRET_ACCESS_KEY", RoleCredentials.SECRET);
        env.put("AWS_SESSION_TOKEN", RoleCredentials.SESSION_TOKEN);
        return env;
    }

    /**
     * Function {@code logicalId}'s execution role as template.yaml gives it, put into the local cloud's IAM (created
     * if missing, its inline policies replaced: a test may have changed them); returns its name.
     */
    public static String functionRole(LocalCloud cloud, String logicalId, Map<String, String> parameters) {
        TemplatePolicies.Role role = templateRoles(ENVIRONMENT, parameters).stream()
                .filter(r -> r.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("template.yaml has no role for " + logicalId));
        IamClient iam = cloud.client(IamClient.class);
        try {
            iam.createRole(b -> b.roleName(role.name()).assumeRolePolicyDocument("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"%s"},"Action":"sts:AssumeRole"}]}"""
                    .formatted(role.service())));
        } catch (EntityAlreadyExistsException e) {
            // made by an earlier call in this test
        }
        Set<String> stale = new HashSet<>(iam.listRolePolicies(b -> b.roleName(role.name())).policyNames());
        role.policies().forEach((policy, doc) -> {
            stale.remove(policy);
            iam.putRolePolicy(b -> b.roleName(role.name()).policyName(policy).policyDocument(doc.toString()));
        });
        stale.forEach(policy -> iam.deleteRolePolicy(b -> b.roleName(role.name()).policyName(policy)));
        return role.name();
    }

    private static final Map<List<Object>, List<TemplatePolicies.Role>> ROLES =
            new ConcurrentHashMap<>();

    private static List<TemplatePolicies.Role> templateRoles(String environment, Map<String, String> parameters) {
        return ROLES.computeIfAbsent(List.of(environment, Map.copyOf(parameters)), k -> {
            try {
                return TemplatePolicies.forReport(SamTemplate.read(
                        SamTemplate.locate(Path.of("").toAbsolutePath())), environment, parameters);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The environment variables template.yaml gives the stage functions, with the operator's credentials. */
    public Map<String, String> functionEnvironment(LocalCloud cloud) {
        Map<String, String> env = new HashMap<>(LocalCloud.functionEnvironment(cloud.endpoint()));
        env.put("ARTIFACT_BUCKET", bucket);
        env.put("APP_INSTANCE_PROFILE", appProfile);
        env.put("BACKEND_INSTANCE_PROFILE", backendProfile);
        env.put("NOTIFICATION_TOPIC_ARN", topicArn);
        env.put("CODEDEPLOY_SERVICE_ROLE_ARN", codeDeployServiceRoleArn());
        env.put("CREATABLE_SERVICE_LINKED_ROLES", "elasticloadbalancing.amazonaws.com,autoscaling.amazonaws.com");
        return env;
    }

    public static String codeDeployServiceRoleArn() {
        return "arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/" + CODEDEPLOY_SERVICE_ROLE;
    }

    /** examples/vprofile.json with this landing zone's VPC and subnets. */
    public ObjectNode spec() {
        try {
            ObjectNode spec = (ObjectNode) JsonHandler.JSON.readTree(Files.readString(examples().resolve("vprofile.json")));
            ObjectNode net = (ObjectNode) spec.get("network");
            net.put("vpcId", vpcId);
            ArrayNode p = net.putArray("publicSubnets");
            publicSubnets.forEach(p::add);
            ArrayNode a = net.putArray("appSubnets");
            appSubnets.forEach(a::add);
            return spec;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path examples() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
        return dir.resolve("examples");
    }

    private static Map<String, com.fasterxml.jackson.databind.JsonNode> templatePolicies(String logicalId) {
        return templateRoles(ENVIRONMENT, Map.of()).stream().filter(r -> r.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("template.yaml has no " + logicalId)).policies();
    }

    private static String subnet(Ec2Client ec2, String vpc, String cidr, String az) {
        return ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(cidr).availabilityZone(az)).subnet().subnetId();
    }

    /**
     * An instance profile whose role has the policies template.yaml gives {@code templateRole}: the boot scripts run
     * in the local cloud and call AWS as this role, which the local cloud's IAM evaluates as AWS would.
     */
    private static String profile(IamClient iam, String name, String templateRole) {
        String roleName = TemplatePolicies.declaredRoleName(ENVIRONMENT, templateRole); // as deployed: the functions may pass only it
        iam.createRole(b -> b.roleName(roleName).assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""));
        templatePolicies(templateRole).forEach((policy, doc) ->
                iam.putRolePolicy(b -> b.roleName(roleName).policyName(policy).policyDocument(doc.toString())));
        iam.createInstanceProfile(b -> b.instanceProfileName(name + "-profile"));
        iam.addRoleToInstanceProfile(b -> b.instanceProfileName(name + "-profile").roleName(roleName));
        return name + "-profile";
    }
}
