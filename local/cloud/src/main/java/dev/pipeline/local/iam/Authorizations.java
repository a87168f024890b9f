package dev.pipeline.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.Protocol;
import dev.pipeline.local.iam.PolicyEvaluator.Check;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The authorization questions one AWS request asks: its action on every resource it touches, with the ARNs
 * built as the Service Authorization Reference defines them, plus the dependent actions AWS also checks (tags
 * given at creation need {@code ec2:CreateTags} with {@code ec2:CreateAction}; an instance profile needs
 * {@code iam:PassRole} with {@code iam:PassedToService}; Route 53's VPC calls need {@code ec2:DescribeVpcs}; the
 * first load balancer needs the ELB service-linked role). Each question carries the condition keys the request
 * sets: {@code aws:RequestTag/*}, {@code aws:TagKeys}, and the tags of existing resources as
 * {@code aws:ResourceTag/*} and the service's own {@code <service>:ResourceTag/*}.
 */
final class Authorizations {
    /** Where resource tags and the links between resources (profile to role, group to ARN) come from: moto. */
    interface Lookup {
        Map<String, String> tags(String arn) throws IOException, InterruptedException;
        /** The role (name) of an instance profile given by name or ARN, or null. */
        String roleOfProfile(String profile) throws IOException, InterruptedException;
        /** The ARN of an Auto Scaling group, or null when there is none. */
        String autoScalingGroupArn(String name) throws IOException, InterruptedException;
        /** The instance profile (name or ARN) a launch template version launches with, or null. */
        String profileOfLaunchTemplate(String idOrName, String version) throws IOException, InterruptedException;
        /** The tags a launch template version gives at launch, per resource type (instance, volume...). */
        Map<String, Map<String, String>> tagSpecificationsOfLaunchTemplate(String idOrName, String version) throws IOException, InterruptedException;
        /** Whether a service-linked role exists. */
        boolean roleExists(String name) throws IOException, InterruptedException;
        /** The deployment group ("APPLICATION/GROUP") of a local CodeDeploy deployment, or null when there is none. */
        default String deploymentGroupOf(String deploymentId) { return null; }
    }

    private final IamReference ref;
    private final Lookup lookup;
    private final String region;
    private final String account;

    Authorizations(IamReference ref, Lookup lookup, String region, String account) {
        this.ref = ref;
        this.lookup = lookup;
        this.region = region;
        this.account = account;
    }

    /** Every question the request asks; throws NotModelledException for an operation the reference lacks. */
    List<Check> of(AwsRequest r) throws IOException, InterruptedException {
        String opKey = opKey(r);
        List<String> actions = ref.actionsOf(opKey).orElseThrow(() -> new NotModelledException("operation " + opKey));
        List<Check> out = new ArrayList<>();
        switch (r.service()) {
            case "ec2" -> ec2(r, actions.getFirst(), out);
            case "autoscaling" -> autoscaling(r, actions.getFirst(), out);
            case "elasticloadbalancing" -> elb(r, actions.getFirst(), out);
            case "route53" -> route53(r, actions.getFirst(), out);
            case "ssm" -> ssm(r, actions.getFirst(), out);
            case "s3" -> s3(r, actions, out);
            case "dynamodb" -> out.add(check(actions.getFirst(),
                    ref.arn("dynamodb:table", region, account, r.json().path("TableName").asText()), Map.of()));
            case "sns" -> out.add(check(actions.getFirst(), r.formParams().getOrDefault("TopicArn", "*"), Map.of()));
            case "monitoring" -> cloudWatch(r, actions.getFirst(), out);
            case "codedeploy" -> codeDeploy(r, actions.getFirst(), out);
            case "lambda" -> {
                if (!r.operation().equals("Invoke")) throw new NotModelledException("resources of lambda:" + r.operation());
                out.add(check(actions.getFirst(), invokedFunctionArn(r), Map.of()));
            }
            case "states" -> {
                JsonNode b = r.json();
                String arn = b.has("executionArn") ? b.get("executionArn").asText() : b.path("stateMachineArn").asText("*");
                out.add(check(actions.getFirst(), arn, Map.of()));
            }
            case "iam" -> {
                if (!r.operation().equals("GetRole")) throw new NotModelledException("resources of iam:" + r.operation());
                // IAM authorizes a role read on the role's ARN, path included (service-linked roles live under
                // aws-service-role/<service>/); a role that does not exist has no path to take
                String name = r.formParams().getOrDefault("RoleName", "");
                String path = lookup.roleExists(name) ? servicePath(name) : "";
                out.add(check(actions.getFirst(), "arn:aws:iam::" + account + ":role/" + path + name, Map.of()));
            }
            // Service Quotas' reads take no required resource (SAR: quota is optional); their grants are on "*"
            case "servicequotas" -> out.add(check(actions.getFirst(), "*", Map.of()));
            default -> throw new NotModelledException("service " + r.service());
        }
        for (Check c : out) {
            if (!ref.knowsAction(c.action())) throw new NotModelledException("action " + c.action());
        }
        return out;
    }

    /**
     * The function an Invoke names, as the ARN IAM checks: qualified when the call names a version or alias (in
     * the name or as {@code Qualifier}). Lambda authorizes an invocation of {@code name:alias} on the qualified ARN,
     * which a grant on {@code function:name*} covers, as SAM's LambdaInvokePolicy writes it ("Resources and conditions
     * for Lambda actions", Lambda developer guide: "Qualified ARN ... Unqualified ARN").
     */
    private String invokedFunctionArn(AwsRequest r) {
        String id = dev.pipeline.local.gateway.RequestClassifier.lambdaFunctionId(r.path());
        if (id == null) throw new NotModelledException("Invoke path " + r.path());
        String arn;
        if (id.startsWith("arn:")) arn = id;
        else if (id.matches("\\d{12}:function:.+")) arn = "arn:aws:lambda:" + region + ":" + id;
        else arn = ref.arn("lambda:function", region, account, id);
        String qualifier = r.queryParams().get("Qualifier");
        if (qualifier != null && !qualifier.isEmpty() && arn.split(":").length == 7) arn += ":" + qualifier;
        return arn;
    }

    /** The path AWS gives a service-linked role ("AWSServiceRoleForElasticLoadBalancing" → aws-service-role/elasticloadbalancing.amazonaws.com/). */
    private static String servicePath(String roleName) {
        return switch (roleName) {
            case "AWSServiceRoleForElasticLoadBalancing" -> "aws-service-role/elasticloadbalancing.amazonaws.com/";
            case "AWSServiceRoleForAutoScaling" -> "aws-service-role/autoscaling.amazonaws.com/";
            default -> "";
        };
    }

    static String opKey(AwsRequest r) {
        String op = r.operation();
        if ("s3".equals(r.service()) && r.queryParams().containsKey("versionId")
                && (op.equals("GetObject") || op.equals("HeadObject"))) op = "GetObjectVersion";
        return r.service() + ":" + op;
    }

    // ------------------------------------------------------------------ CodeDeploy

    /**
     * CodeDeploy (JSON protocol), each action on the resource type the SAR lists for it ("Actions, resources, and
     * condition keys for AWS CodeDeploy"): the application ({@code application:NAME}) for Create/Get/DeleteApplication
     * and ListDeploymentGroups; the deployment group ({@code deploymentgroup:APP/GROUP}) for Create/Get/Update/Delete
     * DeploymentGroup, CreateDeployment, GetDeployment, BatchGetDeployments and ListDeployments; the configuration
     * ({@code deploymentconfig:NAME}) for Create/GetDeploymentConfig. ListApplications, ListDeploymentTargets,
     * GetDeploymentTarget, BatchGetDeploymentTargets and StopDeployment have no resource type in the SAR: "*".
     * CreateDeployment is authorized on the group only (the SAR lists no deploymentconfig for it, nor a dependent
     * action). A deployment is named by id: its group is the local CodeDeploy's record ({@link Lookup#deploymentGroupOf});
     * an unknown id is checked on the group {@code *} of application {@code *} (no such deployment: only a grant covering
     * every group allows the call, and CodeDeploy then answers DeploymentDoesNotExistException).
     * Tags given at creation ({@code tags} of CreateApplication, CreateDeploymentGroup) are aws:RequestTag/aws:TagKeys
     * of the create action itself: the SAR lists those keys for both and no dependent action (no codedeploy:TagResource).
     * A role given as {@code serviceRoleArn} is passed to CodeDeploy: iam:PassRole on it with
     * iam:PassedToService=codedeploy.amazonaws.com ("I am not authorized to perform iam:PassRole", CodeDeploy user
     * guide, "Troubleshooting AWS CodeDeploy identity and access"; the service principal of "Step 2: Create a service
     * role for CodeDeploy").
     */
    private void codeDeploy(AwsRequest r, String action, List<Check> out) throws IOException {
        JsonNode b = r.json();
        String op = r.operation();
        switch (op) {
            case "CreateApplication" -> out.add(check(action, application(b.path("applicationName").asText()),
                    requestTagContext(codeDeployTags(b))));
            case "GetApplication", "DeleteApplication", "ListDeploymentGroups" ->
                    out.add(check(action, application(b.path("applicationName").asText()), Map.of()));
            case "CreateDeploymentGroup" -> {
                out.add(check(action, deploymentGroup(b.path("applicationName").asText(), b.path("deploymentGroupName").asText()),
                        requestTagContext(codeDeployTags(b))));
                passRoleToCodeDeploy(b, out);
            }
            case "UpdateDeploymentGroup" -> {
                out.add(check(action, deploymentGroup(b.path("applicationName").asText(),
                        b.path("currentDeploymentGroupName").asText()), Map.of()));
                passRoleToCodeDeploy(b, out);
            }
            case "GetDeploymentGroup", "DeleteDeploymentGroup", "CreateDeployment" -> out.add(check(action,
                    deploymentGroup(b.path("applicationName").asText(), b.path("deploymentGroupName").asText()), Map.of()));
            case "GetDeployment" -> out.add(check(action, groupOfDeployment(b.path("deploymentId").asText()), Map.of()));
            case "BatchGetDeployments" -> {
                Set<String> arns = new LinkedHashSet<>();
                for (JsonNode id : b.path("deploymentIds")) arns.add(groupOfDeployment(id.asText()));
                if (arns.isEmpty()) arns.add(deploymentGroup("*", "*"));
                for (String arn : arns) out.add(check(action, arn, Map.of()));
            }
            case "ListDeployments" -> {
                // without a group (or an application) every group's deployments are listed: the group as "*"
                String app = b.path("applicationName").asText("");
                String group = b.path("deploymentGroupName").asText("");
                out.add(check(action, deploymentGroup(app.isEmpty() ? "*" : app, group.isEmpty() ? "*" : group), Map.of()));
            }
            case "CreateDeploymentConfig", "GetDeploymentConfig" -> out.add(check(action,
                    ref.arn("codedeploy:deploymentconfig", region, account, b.path("deploymentConfigName").asText()), Map.of()));
            case "ListApplications", "ListDeploymentTargets", "GetDeploymentTarget", "BatchGetDeploymentTargets",
                 "StopDeployment" -> out.add(check(action, "*", Map.of()));
            default -> throw new NotModelledException("resources of codedeploy:" + op);
        }
    }

    private String application(String name) {
        return ref.arn("codedeploy:application", region, account, name);
    }

    private String deploymentGroup(String application, String group) {
        return ref.arn("codedeploy:deploymentgroup", region, account, group).replace(":deploymentgroup:*/", ":deploymentgroup:" + application + "/");
    }

    private String groupOfDeployment(String id) {
        String group = lookup.deploymentGroupOf(id);
        if (group == null) return deploymentGroup("*", "*");
        int slash = group.indexOf('/');
        return deploymentGroup(group.substring(0, slash), group.substring(slash + 1));
    }

    private void passRoleToCodeDeploy(JsonNode b, List<Check> out) {
        String role = b.path("serviceRoleArn").asText("");
        if (role.isEmpty()) return; // CreateDeploymentGroup without one: CodeDeploy itself refuses (RoleRequiredException)
        out.add(check("iam:PassRole", role, Map.of("iam:passedtoservice", List.of("codedeploy.amazonaws.com"))));
    }

    /** CodeDeploy's {@code tags}: [{"Key": k, "Value": v}]. */
    private static Map<String, String> codeDeployTags(JsonNode b) {
        Map<String, String> tags = new LinkedHashMap<>();
        b.path("tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        return tags;
    }

    // ------------------------------------------------------------------ EC2

    private void ec2(AwsRequest r, String action, List<Check> out) throws IOException, InterruptedException {
        Map<String, String> p = r.formParams();
        String op = r.operation();
        switch (op) {
            case "RunInstances" -> runInstances(p, action, out);
            case "CreateImage" -> {
                Map<String, Map<String, String>> tags = tagSpecifications(p, "TagSpecification");
                creation(action, "ec2:image", "image", tags, out);
                existing(action, ec2Arn(p.get("InstanceId")), "ec2", out);
                creation(action, "ec2:snapshot", "snapshot", tags, out);
                createTags("CreateImage", tags, out);
            }
            case "CreateSecurityGroup" -> {
                Map<String, Map<String, String>> tags = tagSpecifications(p, "TagSpecification");
                creation(action, "ec2:security-group", "security-group", tags, out);
                if (p.get("VpcId") != null) existing(action, ec2Arn(p.get("VpcId")), "ec2", out);
                createTags(op, tags, out);
            }
            case "CreateLaunchTemplate" -> {
                Map<String, Map<String, String>> tags = tagSpecifications(p, "TagSpecification");
                creation(action, "ec2:launch-template", "launch-template", tags, out);
                createTags(op, tags, out);
            }
            case "CreateLaunchTemplateVersion", "ModifyLaunchTemplate", "DeleteLaunchTemplate" -> {
                String id = p.get("LaunchTemplateId");
                if (id == null) throw new NotModelledException(op + " by LaunchTemplateName");
                existing(action, ec2Arn(id), "ec2", out);
            }
            case "CreateTags" -> {
                Map<String, String> tags = tags(p, "Tag", "Key", "Value");
                for (String id : indexed(p, "ResourceId")) {
                    Map<String, List<String>> ctx = new LinkedHashMap<>(requestTagContext(tags));
                    ctx.putAll(resourceTagContext(ec2Arn(id), "ec2"));
                    out.add(check(action, ec2Arn(id), ctx));
                }
            }
            case "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
                 "RevokeSecurityGroupEgress", "UpdateSecurityGroupRuleDescriptionsIngress", "DeleteSecurityGroup" -> {
                String group = p.get("GroupId");
                if (group == null) throw new NotModelledException(op + " by GroupName");
                existing(action, ec2Arn(group), "ec2", out);
                for (String rule : indexed(p, "SecurityGroupRuleId")) out.add(check(action, ec2Arn(rule), Map.of()));
            }
            case "ModifySecurityGroupRules" -> {
                existing(action, ec2Arn(p.get("GroupId")), "ec2", out);
                for (String k : p.keySet()) {
                    if (k.matches("SecurityGroupRule\\.\\d+\\.SecurityGroupRuleId")) out.add(check(action, ec2Arn(p.get(k)), Map.of()));
                }
            }
            case "DeleteSnapshot" -> existing(action, ec2Arn(p.get("SnapshotId")), "ec2", out);
            case "DeregisterImage" -> existing(action, ec2Arn(p.get("ImageId")), "ec2", out);
            case "StartInstances", "StopInstances", "TerminateInstances" -> {
                for (String id : indexed(p, "InstanceId")) existing(action, ec2Arn(id), "ec2", out);
            }
            case "GetConsoleOutput" -> existing(action, ec2Arn(p.get("InstanceId")), "ec2", out);
            default -> {
                if (op.startsWith("Describe")) out.add(check(action, "*", Map.of()));
                else throw new NotModelledException("resources of ec2:" + op);
            }
        }
    }

    private void runInstances(Map<String, String> p, String action, List<Check> out) throws IOException, InterruptedException {
        Map<String, Map<String, String>> tags = tagSpecifications(p, "TagSpecification");
        creation(action, "ec2:instance", "instance", tags, out);
        creation(action, "ec2:volume", "volume", tags, out);
        creation(action, "ec2:network-interface", "network-interface", tags, out);
        String lt = p.get("LaunchTemplate.LaunchTemplateId");
        if (lt != null) existing(action, ec2Arn(lt), "ec2", out);
        else if (p.get("LaunchTemplate.LaunchTemplateName") != null) throw new NotModelledException("RunInstances by launch template name");
        String image = p.get("ImageId");
        // a launch template supplies what the request leaves out; its image, subnet and groups are then not known here
        out.add(check(action, image == null ? ref.arn("ec2:image", region, account, "*") : ec2Arn(image),
                image == null ? Map.of() : resourceTagContext(ec2Arn(image), "ec2")));
        String subnet = p.getOrDefault("SubnetId", p.get("NetworkInterface.1.SubnetId"));
        out.add(subnet == null ? check(action, ref.arn("ec2:subnet", region, account, "*"), Map.of())
                : check(action, ec2Arn(subnet), resourceTagContext(ec2Arn(subnet), "ec2")));
        Set<String> groups = new LinkedHashSet<>(indexed(p, "SecurityGroupId"));
        groups.addAll(indexed(p, "NetworkInterface.1.SecurityGroupId"));
        for (String g : groups) existing(action, ec2Arn(g), "ec2", out);
        if (p.get("KeyName") != null) out.add(check(action, ref.arn("ec2:key-pair", region, account, p.get("KeyName")), Map.of()));
        createTags("RunInstances", tags, out);
        String profile = p.getOrDefault("IamInstanceProfile.Arn", p.get("IamInstanceProfile.Name"));
        if (profile == null && lt != null) profile = lookup.profileOfLaunchTemplate(lt, p.getOrDefault("LaunchTemplate.Version", "$Default"));
        passRole(profile, out);
    }

    /** iam:PassRole for the role of the instance profile an instance will run with (EC2 user guide, "IAM roles for Amazon EC2"). */
    private void passRole(String profile, List<Check> out) throws IOException, InterruptedException {
        if (profile == null || profile.isEmpty()) return;
        String role = lookup.roleOfProfile(profile);
        if (role == null) return; // no such profile: the service itself refuses the request
        out.add(check("iam:PassRole", ref.arn("iam:role", region, account, role).replace(":" + region + ":", "::"),
                Map.of("iam:passedtoservice", List.of("ec2.amazonaws.com"))));
    }

    /** The new resources of one type: ARN with {@code *} as id, the tags asked for them as aws:RequestTag and aws:TagKeys. */
    private void creation(String action, String type, String tagType, Map<String, Map<String, String>> tags, List<Check> out) {
        out.add(check(action, ref.arn(type, region, account, "*"), requestTagContext(tags.getOrDefault(tagType, Map.of()))));
    }

    /** Tags given at creation: ec2:CreateTags on each tagged new resource, with ec2:CreateAction (EC2 user guide, "Grant permission to tag resources during creation"). */
    private void createTags(String createAction, Map<String, Map<String, String>> tags, List<Check> out) {
        for (var e : tags.entrySet()) {
            Map<String, List<String>> ctx = new LinkedHashMap<>(requestTagContext(e.getValue()));
            ctx.put("ec2:createaction", List.of(createAction));
            out.add(check("ec2:CreateTags", ref.arn("ec2:" + e.getKey(), region, account, "*"), ctx));
        }
    }

    private void existing(String action, String arn, String service, List<Check> out) throws IOException, InterruptedException {
        out.add(check(action, arn, resourceTagContext(arn, service)));
    }

    /** The ARN of an EC2 resource from its id's prefix (images and snapshots have no account field). */
    String ec2Arn(String id) {
        if (id == null) throw new NotModelledException("a request without the resource's id");
        String type;
        if (id.startsWith("i-")) type = "instance";
        else if (id.startsWith("ami-")) type = "image";
        else if (id.startsWith("snap-")) type = "snapshot";
        else if (id.startsWith("sgr-")) type = "security-group-rule";
        else if (id.startsWith("sg-")) type = "security-group";
        else if (id.startsWith("vol-")) type = "volume";
        else if (id.startsWith("lt-")) type = "launch-template";
        else if (id.startsWith("subnet-")) type = "subnet";
        else if (id.startsWith("vpc-")) type = "vpc";
        else if (id.startsWith("eni-")) type = "network-interface";
        else throw new NotModelledException("EC2 resource " + id);
        return ref.arn("ec2:" + type, region, account, id);
    }

    // ------------------------------------------------------------------ Auto Scaling

    private void autoscaling(AwsRequest r, String action, List<Check> out) throws IOException, InterruptedException {
        Map<String, String> p = r.formParams();
        String op = r.operation();
        switch (op) {
            case "CreateAutoScalingGroup" -> {
                String name = p.get("AutoScalingGroupName");
                out.add(check(action, ref.arn("autoscaling:autoScalingGroup", region, account, name),
                        requestTagContext(tags(p, "Tags.member", "Key", "Value"))));
                if (!lookup.roleExists(ASG_SLR)) {
                    out.add(check("iam:CreateServiceLinkedRole", "arn:aws:iam::" + account
                                    + ":role/aws-service-role/autoscaling.amazonaws.com/" + ASG_SLR,
                            Map.of("iam:awsservicename", List.of("autoscaling.amazonaws.com"))));
                }
                launchTemplateUse(p.get("LaunchTemplate.LaunchTemplateId"), p.get("LaunchTemplate.LaunchTemplateName"),
                        p.getOrDefault("LaunchTemplate.Version", "$Default"), out);
            }
            case "UpdateAutoScalingGroup", "StartInstanceRefresh", "RollbackInstanceRefresh", "CancelInstanceRefresh",
                 "AttachLoadBalancerTargetGroups", "DeleteAutoScalingGroup", "SetDesiredCapacity" -> {
                String arn = lookup.autoScalingGroupArn(p.get("AutoScalingGroupName"));
                if (arn == null) arn = ref.arn("autoscaling:autoScalingGroup", region, account, p.get("AutoScalingGroupName"));
                existing(action, arn, "autoscaling", out);
                if ("UpdateAutoScalingGroup".equals(op)) {
                    launchTemplateUse(p.get("LaunchTemplate.LaunchTemplateId"), p.get("LaunchTemplate.LaunchTemplateName"),
                            p.getOrDefault("LaunchTemplate.Version", "$Default"), out);
                } else if ("StartInstanceRefresh".equals(op)) {
                    String prefix = "DesiredConfiguration.LaunchTemplate.";
                    launchTemplateUse(p.get(prefix + "LaunchTemplateId"), p.get(prefix + "LaunchTemplateName"),
                            p.getOrDefault(prefix + "Version", "$Default"), out);
                }
            }
            case "CreateOrUpdateTags" -> {
                for (int i = 1; p.containsKey("Tags.member." + i + ".Key"); i++) {
                    String name = p.get("Tags.member." + i + ".ResourceId");
                    String arn = lookup.autoScalingGroupArn(name);
                    if (arn == null) arn = ref.arn("autoscaling:autoScalingGroup", region, account, name);
                    Map<String, List<String>> ctx = new LinkedHashMap<>(requestTagContext(
                            Map.of(p.get("Tags.member." + i + ".Key"), p.getOrDefault("Tags.member." + i + ".Value", ""))));
                    ctx.putAll(resourceTagContext(arn, "autoscaling"));
                    out.add(check(action, arn, ctx));
                }
            }
            default -> {
                if (op.startsWith("Describe")) out.add(check(action, "*", Map.of()));
                else throw new NotModelledException("resources of autoscaling:" + op);
            }
        }
    }

    private static final String ASG_SLR = "AWSServiceRoleForAutoScaling";

    /**
     * What Auto Scaling asks of the caller who gives it a launch template (CreateAutoScalingGroup, UpdateAutoScalingGroup,
     * an instance refresh's DesiredConfiguration): "ec2:RunInstances – To launch instances when a launch template is
     * provided", "ec2:CreateTags – To tag instances and volumes on launch when a launch template with a tag specification
     * is provided", "iam:PassRole – ... a launch template that specifies an instance profile" (Amazon EC2 Auto Scaling
     * user guide, "Amazon EC2 Auto Scaling API permissions"); refused as "You are not authorized to use launch
     * template". RunInstances is checked on the launch template itself, the one resource AWS names for it here.
     */
    private void launchTemplateUse(String id, String name, String version, List<Check> out) throws IOException, InterruptedException {
        if (id == null) {
            if (name != null) throw new NotModelledException("a launch template given to Auto Scaling by name");
            return;
        }
        existing("ec2:RunInstances", ec2Arn(id), "ec2", out);
        Map<String, Map<String, String>> tags = new LinkedHashMap<>(lookup.tagSpecificationsOfLaunchTemplate(id, version));
        tags.keySet().retainAll(List.of("instance", "volume"));
        createTags("RunInstances", tags, out);
        passRole(lookup.profileOfLaunchTemplate(id, version), out);
    }

    // ------------------------------------------------------------------ Elastic Load Balancing v2

    private static final String ELB_SLR = "AWSServiceRoleForElasticLoadBalancing";

    private void elb(AwsRequest r, String action, List<Check> out) throws IOException, InterruptedException {
        Map<String, String> p = r.formParams();
        String op = r.operation();
        String prefix = "arn:aws:elasticloadbalancing:" + region + ":" + account + ":";
        switch (op) {
            case "CreateTargetGroup", "CreateLoadBalancer" -> {
                Map<String, String> tags = tags(p, "Tags.member", "Key", "Value");
                String arn = prefix + (op.equals("CreateTargetGroup") ? "targetgroup/" : "loadbalancer/app/") + p.get("Name") + "/*";
                out.add(check(action, arn, requestTagContext(tags)));
                // tags on create need AddTags as well (ELB user guide, "Identity-based policies": tag on create)
                if (!tags.isEmpty()) out.add(check("elasticloadbalancing:AddTags", arn, requestTagContext(tags)));
                // the first load balancer or target group in an account creates ELB's service-linked role, as the caller
                if (!lookup.roleExists(ELB_SLR)) {
                    out.add(check("iam:CreateServiceLinkedRole", "arn:aws:iam::" + account
                                    + ":role/aws-service-role/elasticloadbalancing.amazonaws.com/" + ELB_SLR,
                            Map.of("iam:awsservicename", List.of("elasticloadbalancing.amazonaws.com"))));
                }
            }
            case "CreateListener", "ModifyLoadBalancerAttributes", "SetSecurityGroups", "DeleteLoadBalancer" ->
                    existing(action, p.get("LoadBalancerArn"), "elasticloadbalancing", out);
            case "ModifyTargetGroup", "ModifyTargetGroupAttributes", "DeleteTargetGroup" ->
                    existing(action, p.get("TargetGroupArn"), "elasticloadbalancing", out);
            case "ModifyListener", "DeleteListener" -> existing(action, p.get("ListenerArn"), "elasticloadbalancing", out);
            case "AddTags" -> {
                Map<String, String> tags = tags(p, "Tags.member", "Key", "Value");
                for (String arn : indexed(p, "ResourceArns.member")) {
                    Map<String, List<String>> ctx = new LinkedHashMap<>(requestTagContext(tags));
                    ctx.putAll(resourceTagContext(arn, "elasticloadbalancing"));
                    out.add(check(action, arn, ctx));
                }
            }
            default -> {
                if (op.startsWith("Describe")) out.add(check(action, "*", Map.of()));
                else throw new NotModelledException("resources of elasticloadbalancing:" + op);
            }
        }
    }

    // ------------------------------------------------------------------ Route 53

    private static final Pattern ZONE_PATH = Pattern.compile("^/2013-04-01/(?:tags/)?hostedzone/([^/]+)");
    private static final Pattern CHANGE = Pattern.compile("<Change>\\s*<Action>([A-Z]+)</Action>.*?<Name>([^<]+)</Name>.*?<Type>([A-Z]+)</Type>", Pattern.DOTALL);

    private void route53(AwsRequest r, String action, List<Check> out) {
        String op = r.operation();
        Matcher zone = ZONE_PATH.matcher(r.path());
        switch (op) {
            case "CreateHostedZone", "ListHostedZonesByVPC" -> {
                out.add(check(action, "*", Map.of()));
                // a private zone's VPC is looked up as the caller (Route 53 API permissions reference: ec2:DescribeVpcs)
                if (op.equals("ListHostedZonesByVPC") || r.bodyText().contains("<VPCId>")) {
                    out.add(check("ec2:DescribeVpcs", "*", Map.of()));
                }
            }
            case "AssociateVPCWithHostedZone" -> {
                out.add(check(action, zoneArn(zone), Map.of()));
                out.add(check("ec2:DescribeVpcs", "*", Map.of()));
            }
            case "ChangeResourceRecordSets" -> {
                Set<String> actions = new TreeSet<>(), names = new TreeSet<>(), types = new TreeSet<>();
                Matcher m = CHANGE.matcher(r.bodyText());
                while (m.find()) {
                    actions.add(m.group(1));
                    // "normalized": lower case, without the trailing dot (Route 53 developer guide, fine-grained access)
                    names.add(m.group(2).toLowerCase(Locale.ROOT).replaceFirst("\\.$", ""));
                    types.add(m.group(3));
                }
                out.add(check(action, zoneArn(zone), Map.of(
                        "route53:changeresourcerecordsetsactions", List.copyOf(actions),
                        "route53:changeresourcerecordsetsnormalizedrecordnames", List.copyOf(names),
                        "route53:changeresourcerecordsetsrecordtypes", List.copyOf(types))));
            }
            case "GetChange" -> out.add(check(action, "arn:aws:route53:::change/" + r.path().replaceFirst(".*/change/", ""), Map.of()));
            default -> {
                if (zone.find()) out.add(check(action, zoneArn(zone), Map.of()));
                else if (op.startsWith("List")) out.add(check(action, "*", Map.of()));
                else throw new NotModelledException("resources of route53:" + op);
            }
        }
    }

    private static String zoneArn(Matcher zone) {
        if (!zone.find(0)) throw new NotModelledException("a Route 53 request without its zone");
        return "arn:aws:route53:::hostedzone/" + zone.group(1);
    }

    // ------------------------------------------------------------------ SSM

    private void ssm(AwsRequest r, String action, List<Check> out) throws IOException, InterruptedException {
        JsonNode b = r.json();
        String op = r.operation();
        switch (op) {
            case "GetParameter", "PutParameter", "DeleteParameter" -> {
                String arn = parameterArn(b.path("Name").asText());
                Map<String, List<String>> ctx = new LinkedHashMap<>(resourceTagContext(arn, "ssm"));
                if (op.equals("PutParameter") && b.has("Tags")) {
                    Map<String, String> tags = new LinkedHashMap<>();
                    b.get("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
                    ctx.putAll(requestTagContext(tags));
                    out.add(check(action, arn, ctx));
                    // tags on create: ssm:AddTagsToResource as well (SSM user guide, "Tagging parameters")
                    out.add(check("ssm:AddTagsToResource", arn, requestTagContext(tags)));
                } else {
                    out.add(check(action, arn, ctx));
                }
            }
            case "GetParameters", "DeleteParameters" -> {
                for (JsonNode n : b.path("Names")) existing(action, parameterArn(n.asText()), "ssm", out);
            }
            case "AddTagsToResource", "ListTagsForResource" -> {
                if (!"Parameter".equals(b.path("ResourceType").asText())) throw new NotModelledException(op + " of " + b.path("ResourceType").asText());
                String arn = parameterArn(b.path("ResourceId").asText());
                Map<String, List<String>> ctx = new LinkedHashMap<>(resourceTagContext(arn, "ssm"));
                Map<String, String> tags = new LinkedHashMap<>();
                b.path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
                ctx.putAll(requestTagContext(tags));
                out.add(check(action, arn, ctx));
            }
            case "SendCommand" -> {
                String doc = b.path("DocumentName").asText();
                // AWS-owned documents have no account in their ARN
                out.add(check(action, doc.startsWith("AWS-") ? "arn:aws:ssm:" + region + "::document/" + doc
                        : ref.arn("ssm:document", region, account, doc), Map.of()));
                // an instance's tags are ssm:resourceTag/* to SSM (SAR, Systems Manager: SendCommand on instance)
                for (JsonNode id : b.path("InstanceIds")) existing(action, ec2Arn(id.asText()), "ssm", out);
            }
            default -> {
                if (op.startsWith("Describe") || op.startsWith("List") || op.equals("GetCommandInvocation")) {
                    out.add(check(action, "*", Map.of()));
                } else {
                    throw new NotModelledException("resources of ssm:" + op);
                }
            }
        }
    }

    /** A parameter's ARN; AWS's public parameters (/aws/service/...) have no account field. */
    private String parameterArn(String name) {
        if (name.startsWith("arn:")) return name;
        String n = name.startsWith("/") ? name.substring(1) : name;
        return "arn:aws:ssm:" + region + ":" + (n.startsWith("aws/") ? "" : account) + ":parameter/" + n;
    }

    // ------------------------------------------------------------------ S3

    private void s3(AwsRequest r, List<String> actions, List<Check> out) {
        String host = r.header("Host") == null ? "" : r.header("Host").toLowerCase(Locale.ROOT);
        String path = URLDecoder.decode(r.path().replace("+", "%2B"), StandardCharsets.UTF_8);
        String bucket, key;
        int dot = host.indexOf(".localhost");
        if (dot > 0) {
            bucket = host.substring(0, dot);
            key = path.replaceFirst("^/", "");
        } else {
            String[] parts = path.replaceFirst("^/", "").split("/", 2);
            bucket = parts[0];
            key = parts.length > 1 ? parts[1] : "";
        }
        String bucketArn = "arn:aws:s3:::" + bucket;
        for (String action : actions) {
            boolean objectLevel = !key.isEmpty() && !action.equals("s3:ListBucket") && !action.equals("s3:ListBucketVersions");
            String a = action;
            if (a.equals("s3:DeleteObject") && r.queryParams().containsKey("versionId")) a = "s3:DeleteObjectVersion";
            if (r.operation().equals("CopyObject") && a.equals("s3:GetObject")) {
                String source = URLDecoder.decode(r.header("x-amz-copy-source"), StandardCharsets.UTF_8).replaceFirst("^/", "");
                out.add(check(source.contains("versionId=") ? "s3:GetObjectVersion" : a,
                        "arn:aws:s3:::" + source.replaceFirst("\\?.*", ""), Map.of()));
                continue;
            }
            out.add(check(a, objectLevel ? bucketArn + "/" + key : bucketArn, Map.of()));
        }
    }

    // ------------------------------------------------------------------ condition context

    private Map<String, List<String>> resourceTagContext(String arn, String service) throws IOException, InterruptedException {
        Map<String, List<String>> ctx = new LinkedHashMap<>();
        for (var t : lookup.tags(arn).entrySet()) {
            String k = t.getKey().toLowerCase(Locale.ROOT);
            ctx.put("aws:resourcetag/" + k, List.of(t.getValue()));
            ctx.put(service.toLowerCase(Locale.ROOT) + ":resourcetag/" + k, List.of(t.getValue()));
        }
        return ctx;
    }

    static Map<String, List<String>> requestTagContext(Map<String, String> tags) {
        Map<String, List<String>> ctx = new LinkedHashMap<>();
        for (var t : tags.entrySet()) ctx.put("aws:requesttag/" + t.getKey().toLowerCase(Locale.ROOT), List.of(t.getValue()));
        if (!tags.isEmpty()) ctx.put("aws:tagkeys", List.copyOf(tags.keySet()));
        return ctx;
    }

    /** EC2 TagSpecification.N: resource type to tags. */
    static Map<String, Map<String, String>> tagSpecifications(Map<String, String> p, String prefix) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int i = 1; p.containsKey(prefix + "." + i + ".ResourceType"); i++) {
            out.merge(p.get(prefix + "." + i + ".ResourceType"), tags(p, prefix + "." + i + ".Tag", "Key", "Value"),
                    (a, b) -> { Map<String, String> m = new LinkedHashMap<>(a); m.putAll(b); return m; });
        }
        return out;
    }

    static Map<String, String> tags(Map<String, String> p, String prefix, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 1; p.containsKey(prefix + "." + i + "." + key); i++) {
            out.put(p.get(prefix + "." + i + "." + key), p.getOrDefault(prefix + "." + i + "." + value, ""));
        }
        return out;
    }

    // ------------------------------------------------------------------ CloudWatch

    /**
     * CloudWatch (query protocol): PutMetricData on "*" with {@code cloudwatch:namespace}; the alarm calls on each
     * named alarm's ARN (SAR: the alarm resource type is required for PutMetricAlarm, DescribeAlarms, DeleteAlarms).
     * Tags given to PutMetricAlarm also need {@code cloudwatch:TagResource} ("To be able to associate tags with the
     * alarm when you create the alarm, you must have the cloudwatch:TagResource permission", PutMetricAlarm).
     */
    private void cloudWatch(AwsRequest r, String action, List<Check> out) {
        Map<String, String> p = r.formParams();
        switch (r.operation()) {
            case "PutMetricData" -> out.add(check(action, "*",
                    Map.of("cloudwatch:namespace", List.of(p.getOrDefault("Namespace", "")))));
            case "PutMetricAlarm" -> {
                String arn = ref.arn("cloudwatch:alarm", region, account, p.getOrDefault("AlarmName", ""));
                Map<String, String> tags = new LinkedHashMap<>();
                for (int i = 1; p.containsKey("Tags.member." + i + ".Key"); i++) {
                    tags.put(p.get("Tags.member." + i + ".Key"), p.getOrDefault("Tags.member." + i + ".Value", ""));
                }
                out.add(check(action, arn, requestTagContext(tags)));
                if (!tags.isEmpty()) out.add(check("cloudwatch:TagResource", arn, requestTagContext(tags)));
            }
            case "DescribeAlarms", "DeleteAlarms" -> {
                List<String> names = indexed(p, "AlarmNames.member");
                if (names.isEmpty()) {
                    if (r.operation().equals("DeleteAlarms")) throw new NotModelledException("DeleteAlarms without AlarmNames");
                    names = List.of("*");
                }
                for (String name : names) out.add(check(action, ref.arn("cloudwatch:alarm", region, account, name), Map.of()));
            }
            case "ListTagsForResource", "TagResource" -> out.add(check(action, p.getOrDefault("ResourceARN", "*"), Map.of()));
            default -> throw new NotModelledException("resources of cloudwatch:" + r.operation());
        }
    }

    static List<String> indexed(Map<String, String> p, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; p.containsKey(prefix + "." + i); i++) out.add(p.get(prefix + "." + i));
        return out;
    }

    private static Check check(String action, String resource, Map<String, List<String>> ctx) {
        return new Check(action, resource, ctx);
    }

    static boolean isAwsCall(AwsRequest r) {
        return r.protocol() != Protocol.NONE;
    }
}
