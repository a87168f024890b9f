package dev.pipeline.local.codedeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CodeDeploy (EC2/On-Premises, in-place) answered by the gateway: moto 5.2.1 stores applications, groups and
 * deployments, but its deployments never leave {@code Created} and it has no ListDeploymentTargets,
 * GetDeploymentTarget, StopDeployment, Update/Delete calls. Everything is held here (moto is not asked, so nothing
 * disagrees), and each deployment is run by a {@link DeploymentRunner} on the instances of the instance model.
 * Error codes are the API reference's exception names; messages are the reference's descriptions of those exceptions
 * ("The deployment is already complete.", StopDeployment) unless a comment says otherwise.
 */
public final class CodeDeployService implements Interceptor {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeploymentRunner runner;
    final Map<String, Model.Application> applications = new ConcurrentHashMap<>();
    /** application + "/" + group name */
    final Map<String, Model.Group> groups = new ConcurrentHashMap<>();
    final Map<String, DeploymentConfig> configs = new ConcurrentHashMap<>();
    final Map<String, Model.Deployment> deployments = new ConcurrentHashMap<>();

    public CodeDeployService(DeploymentRunner runner) {
        this.runner = runner;
        runner.service(this);
    }

    /** A refusal in the JSON protocol's shape (HTTP 400, {@code __type}). */
    static final class Refused extends Exception {
        final String code;
        Refused(String code, String message) { super(message); this.code = code; }
    }

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"codedeploy".equals(request.service())) return null;
        JsonNode body = request.json();
        try {
            ObjectNode out = switch (request.operation()) {
                case "CreateApplication" -> createApplication(body);
                case "GetApplication" -> getApplication(body);
                case "DeleteApplication" -> deleteApplication(body);
                case "ListApplications" -> listApplications();
                case "CreateDeploymentGroup" -> createGroup(body);
                case "GetDeploymentGroup" -> getGroup(body);
                case "UpdateDeploymentGroup" -> updateGroup(body);
                case "DeleteDeploymentGroup" -> deleteGroup(body);
                case "ListDeploymentGroups" -> listGroups(body);
                case "CreateDeploymentConfig" -> createConfig(body);
                case "GetDeploymentConfig" -> getConfig(body);
                case "CreateDeployment" -> createDeployment(body);
                case "GetDeployment" -> JSON.createObjectNode().set("deploymentInfo", info(deployment(body.path("deploymentId").asText())));
                case "BatchGetDeployments" -> batchGetDeployments(body);
                case "ListDeployments" -> listDeployments(body);
                case "ListDeploymentTargets" -> listTargets(body);
                case "GetDeploymentTarget" -> getTarget(body);
                case "BatchGetDeploymentTargets" -> batchGetTargets(body);
                case "StopDeployment" -> stopDeployment(body);
                default -> throw new Refused("UnsupportedActionForDeploymentTypeException",
                        "The local cloud does not emulate CodeDeploy " + request.operation());
            };
            return GatewayResponse.of(200, "application/x-amz-json-1.1", out.toString());
        } catch (Refused r) {
            return AwsErrors.error(request, 400, r.code, r.getMessage());
        }
    }

    /** The deployment group ("APPLICATION/GROUP") a deployment was made in, or null for an unknown id (for IAM). */
    public String groupOf(String deploymentId) {
        Model.Deployment d = deployments.get(deploymentId);
        return d == null ? null : d.application + "/" + d.groupName;
    }

    // ---- applications

    private ObjectNode createApplication(JsonNode b) throws Refused {
        String name = required(b, "applicationName", "ApplicationNameRequiredException");
        String platform = b.path("computePlatform").asText("Server");
        if (!"Server".equals(platform)) {
            throw new Refused("InvalidComputePlatformException", "The local cloud runs only the Server (EC2/On-Premises) compute platform");
        }
        Model.Application a = new Model.Application(name, UUID.randomUUID().toString(), Instant.now());
        if (applications.putIfAbsent(name, a) != null) {
            throw new Refused("ApplicationAlreadyExistsException", "An application with the specified name with the user or AWS account already exists.");
        }
        return JSON.createObjectNode().put("applicationId", a.id());
    }

    Model.Application application(String name) throws Refused {
        if (name == null || name.isEmpty()) throw new Refused("ApplicationNameRequiredException", "The application name must be specified.");
        Model.Application a = applications.get(name);
        if (a == null) throw new Refused("ApplicationDoesNotExistException", "The application " + name + " does not exist with the user or AWS account.");
        return a;
    }

    private ObjectNode getApplication(JsonNode b) throws Refused {
        Model.Application a = application(b.path("applicationName").asText());
        return JSON.createObjectNode().set("application", applicationInfo(a));
    }

    private ObjectNode applicationInfo(Model.Application a) {
        return JSON.createObjectNode().put("applicationId", a.id()).put("applicationName", a.name())
                .put("createTime", seconds(a.created())).put("linkedToGitHub", false).put("computePlatform", "Server");
    }

    private ObjectNode deleteApplication(JsonNode b) {
        // DeleteApplication of a missing application succeeds on AWS too (not confirmed in the API reference)
        String name = b.path("applicationName").asText();
        applications.remove(name);
        groups.keySet().removeIf(k -> k.startsWith(name + "/"));
        return JSON.createObjectNode();
    }

    private ObjectNode listApplications() {
        ArrayNode a = JSON.createArrayNode();
        applications.keySet().stream().sorted().forEach(a::add);
        return JSON.createObjectNode().set("applications", a);
    }

    // ---- deployment groups

    private ObjectNode createGroup(JsonNode b) throws Refused {
        Model.Application a = application(b.path("applicationName").asText());
        String name = required(b, "deploymentGroupName", "DeploymentGroupNameRequiredException");
        required(b, "serviceRoleArn", "RoleRequiredException");
        ObjectNode spec = groupSpec(b);
        config(spec.path("deploymentConfigName").asText(DeploymentConfig.DEFAULT));
        references(spec);
        Model.Group g = new Model.Group(a.name(), UUID.randomUUID().toString(), name, spec);
        if (groups.putIfAbsent(a.name() + "/" + name, g) != null) {
            throw new Refused("DeploymentGroupAlreadyExistsException", "A deployment group with the specified name with the user or AWS account already exists.");
        }
        runner.watch(g);
        return JSON.createObjectNode().put("deploymentGroupId", g.id);
    }

    private static ObjectNode groupSpec(JsonNode b) {
        ObjectNode spec = JSON.createObjectNode();
        for (String f : List.of("deploymentConfigName", "ec2TagFilters", "onPremisesInstanceTagFilters", "autoScalingGroups",
                "serviceRoleArn", "triggerConfigurations", "alarmConfiguration", "autoRollbackConfiguration",
                "outdatedInstancesStrategy", "deploymentStyle", "blueGreenDeploymentConfiguration", "loadBalancerInfo",
                "ec2TagSet", "onPremisesTagSet", "terminationHookEnabled")) {
            if (b.has(f)) spec.set(f, b.get(f).deepCopy());
        }
        return spec;
    }

    /**
     * What CodeDeploy checks of a group's references before it keeps them (moto checks none), with the API reference's
     * exception names and descriptions: the service role exists and trusts CodeDeploy (InvalidRoleException), each
     * Auto Scaling group exists (InvalidAutoScalingGroupException), at most 10 alarms (AlarmsLimitExceededException),
     * an enabled alarm configuration names alarms, each once (InvalidAlarmConfigException).
     */
    private void references(JsonNode spec) throws Refused {
        String role = spec.path("serviceRoleArn").asText("");
        if (!runner.roleUsable(role)) {
            throw new Refused("InvalidRoleException", "The service role ARN was specified in an invalid format. Or, if an"
                    + " Auto Scaling group was specified, the specified service role does not grant the appropriate"
                    + " permissions to Amazon EC2 Auto Scaling. (local cloud: role " + role
                    + " does not exist or does not trust codedeploy.amazonaws.com)");
        }
        List<String> asgs = new ArrayList<>();
        spec.path("autoScalingGroups").forEach(n -> asgs.add(n.asText()));
        List<String> missing = runner.missingAutoScalingGroups(asgs);
        if (!missing.isEmpty()) {
            throw new Refused("InvalidAutoScalingGroupException", "The Auto Scaling group was specified in an invalid"
                    + " format or does not exist. (local cloud: " + String.join(", ", missing) + ")");
        }
        JsonNode alarms = spec.path("alarmConfiguration");
        List<String> names = new ArrayList<>();
        alarms.path("alarms").forEach(a -> names.add(a.path("name").asText("")));
        if (names.size() > 10) {
            throw new Refused("AlarmsLimitExceededException", "The maximum number of alarms for a deployment group (10) was exceeded.");
        }
        if (alarms.path("enabled").asBoolean(false) && names.isEmpty()
                || names.stream().anyMatch(String::isEmpty) || names.stream().distinct().count() < names.size()) {
            throw new Refused("InvalidAlarmConfigException", "The format of the alarm configuration is invalid.");
        }
    }

    Model.Group group(String application, String name) throws Refused {
        application(application);
        if (name == null || name.isEmpty()) throw new Refused("DeploymentGroupNameRequiredException", "The deployment group name must be specified.");
        Model.Group g = groups.get(application + "/" + name);
        if (g == null) throw new Refused("DeploymentGroupDoesNotExistException", "The named deployment group with the user or AWS account does not exist.");
        return g;
    }

    private ObjectNode getGroup(JsonNode b) throws Refused {
        Model.Group g = group(b.path("applicationName").asText(), b.path("deploymentGroupName").asText());
        return JSON.createObjectNode().set("deploymentGroupInfo", groupInfo(g));
    }

    private ObjectNode groupInfo(Model.Group g) {
        ObjectNode o = JSON.createObjectNode().put("applicationName", g.application).put("deploymentGroupId", g.id)
                .put("deploymentGroupName", g.name).put("deploymentConfigName", g.configName()).put("computePlatform", "Server");
        ObjectNode spec = g.spec.deepCopy();
        spec.remove("deploymentConfigName");
        spec.remove("autoScalingGroups");
        o.setAll(spec);
        ArrayNode asgs = o.putArray("autoScalingGroups");
        for (String n : g.autoScalingGroups()) {
            // CodeDeploy installs a lifecycle hook on each group ("How Amazon EC2 Auto Scaling works with CodeDeploy")
            asgs.addObject().put("name", n).put("hook", "CodeDeploy-managed-automatic-launch-deployment-hook-" + g.name + "-" + g.id.substring(0, 8));
        }
        if (!o.has("deploymentStyle")) {
            o.putObject("deploymentStyle").put("deploymentType", "IN_PLACE").put("deploymentOption", "WITHOUT_TRAFFIC_CONTROL");
        }
        if (!o.has("outdatedInstancesStrategy")) o.put("outdatedInstancesStrategy", "UPDATE");
        summary(o, "lastSuccessfulDeployment", g.lastSuccessfulDeploymentId);
        summary(o, "lastAttemptedDeployment", g.lastAttemptedDeploymentId);
        Model.Deployment last = g.lastSuccessfulDeploymentId == null ? null : deployments.get(g.lastSuccessfulDeploymentId);
        if (last != null) o.set("targetRevision", last.revision.deepCopy());
        return o;
    }

    private void summary(ObjectNode o, String field, String deploymentId) {
        Model.Deployment d = deploymentId == null ? null : deployments.get(deploymentId);
        if (d == null) return;
        ObjectNode s = o.putObject(field).put("deploymentId", d.id).put("status", d.status).put("createTime", seconds(d.created));
        if (d.completed != null) s.put("endTime", seconds(d.completed));
    }

    private ObjectNode updateGroup(JsonNode b) throws Refused {
        Model.Group g = group(b.path("applicationName").asText(), b.path("currentDeploymentGroupName").asText());
        ObjectNode spec = g.spec.deepCopy();
        spec.setAll(groupSpec(b));
        config(spec.path("deploymentConfigName").asText(DeploymentConfig.DEFAULT));
        references(spec);
        String newName = b.path("newDeploymentGroupName").asText("");
        if (!newName.isEmpty() && !newName.equals(g.name)) {
            if (groups.putIfAbsent(g.application + "/" + newName, g) != null) {
                throw new Refused("DeploymentGroupAlreadyExistsException", "A deployment group with the specified name with the user or AWS account already exists.");
            }
            groups.remove(g.application + "/" + g.name);
            g.name = newName;
        }
        g.spec = spec;
        runner.watch(g);
        return (ObjectNode) JSON.createObjectNode().set("hooksNotCleanedUp", JSON.createArrayNode());
    }

    private ObjectNode deleteGroup(JsonNode b) throws Refused {
        Model.Group g = group(b.path("applicationName").asText(), b.path("deploymentGroupName").asText());
        groups.remove(g.application + "/" + g.name);
        return (ObjectNode) JSON.createObjectNode().set("hooksNotCleanedUp", JSON.createArrayNode());
    }

    private ObjectNode listGroups(JsonNode b) throws Refused {
        Model.Application a = application(b.path("applicationName").asText());
        ArrayNode names = JSON.createArrayNode();
        groups.values().stream().filter(g -> g.application.equals(a.name())).map(g -> g.name).sorted().forEach(names::add);
        ObjectNode o = JSON.createObjectNode().put("applicationName", a.name());
        o.set("deploymentGroups", names);
        return o;
    }

    // ---- deployment configurations

    DeploymentConfig config(String name) throws Refused {
        DeploymentConfig c = DeploymentConfig.PREDEFINED.get(name);
        if (c == null) c = configs.get(name);
        if (c == null) throw new Refused("DeploymentConfigDoesNotExistException", "The deployment configuration does not exist with the user or AWS account.");
        return c;
    }

    private ObjectNode createConfig(JsonNode b) throws Refused {
        String name = required(b, "deploymentConfigName", "DeploymentConfigNameRequiredException");
        JsonNode m = b.path("minimumHealthyHosts");
        String type = m.path("type").asText("");
        if (!type.equals("HOST_COUNT") && !type.equals("FLEET_PERCENT")) {
            // "You cannot set the type to MOST_CONCURRENCY, only to HOST_COUNT or FLEET_PERCENT" (MinimumHealthyHosts)
            throw new Refused("InvalidMinimumHealthyHostValueException", "The minimum healthy hosts type must be HOST_COUNT or FLEET_PERCENT");
        }
        int value = m.path("value").asInt(-1);
        if (value < 0 || (type.equals("FLEET_PERCENT") && value > 99)) {
            throw new Refused("InvalidMinimumHealthyHostValueException", "The minimum healthy hosts value is out of range");
        }
        if (DeploymentConfig.PREDEFINED.containsKey(name)
                || configs.putIfAbsent(name, new DeploymentConfig(name, type, value)) != null) {
            throw new Refused("DeploymentConfigAlreadyExistsException", "A deployment configuration named " + name + " already exists");
        }
        return JSON.createObjectNode().put("deploymentConfigId", UUID.randomUUID().toString());
    }

    private ObjectNode getConfig(JsonNode b) throws Refused {
        DeploymentConfig c = config(b.path("deploymentConfigName").asText());
        ObjectNode o = JSON.createObjectNode();
        ObjectNode i = o.putObject("deploymentConfigInfo").put("deploymentConfigName", c.name()).put("computePlatform", "Server");
        i.putObject("minimumHealthyHosts").put("type", c.type()).put("value", c.value());
        return o;
    }

    // ---- deployments

    private ObjectNode createDeployment(JsonNode b) throws Refused {
        Model.Group g = group(b.path("applicationName").asText(), b.path("deploymentGroupName").asText());
        JsonNode revision = b.path("revision");
        if (revision.isMissingNode() || revision.isNull()) {
            throw new Refused("RevisionRequiredException", "The revision ID was not specified.");
        }
        if (!"S3".equals(revision.path("revisionType").asText())) {
            throw new Refused("InvalidRevisionException", "The local cloud deploys revisions of revisionType S3 only");
        }
        JsonNode s3 = revision.path("s3Location");
        if (s3.path("bucket").asText("").isEmpty() || s3.path("key").asText("").isEmpty()) {
            throw new Refused("InvalidRevisionException", "The revision's s3Location needs a bucket and a key");
        }
        String bundle = s3.path("bundleType").asText("");
        if (!bundle.isEmpty() && !bundle.equals("zip")) {
            throw new Refused("InvalidRevisionException", "The local cloud unpacks bundleType zip only");
        }
        String configName = b.path("deploymentConfigName").asText("");
        if (configName.isEmpty()) configName = g.configName();
        config(configName);
        // overrideAlarmConfiguration (API reference, CreateDeployment): "will override the alarm configuration at the
        // deployment group level ... create a new deployment that uses a previous application revision that is known to
        // work, and set its alarm configuration to turn off alarm polling"
        JsonNode override = b.path("overrideAlarmConfiguration");
        return JSON.createObjectNode().put("deploymentId", start(g, revision, configName, "user", b.path("description").asText(null),
                null, null, b.path("ignoreApplicationStopFailures").asBoolean(false),
                override.isObject() ? (ObjectNode) override : null).id);
    }

    /** Creates and starts a deployment (a user's, Auto Scaling's or a rollback); refused while the group has one active. */
    synchronized Model.Deployment start(Model.Group g, JsonNode revision, String configName, String creator, String description,
                                        List<String> onlyInstances, ObjectNode rollbackInfo) throws Refused {
        return start(g, revision, configName, creator, description, onlyInstances, rollbackInfo, false);
    }

    synchronized Model.Deployment start(Model.Group g, JsonNode revision, String configName, String creator, String description,
                                        List<String> onlyInstances, ObjectNode rollbackInfo, boolean ignoreStopFailures) throws Refused {
        return start(g, revision, configName, creator, description, onlyInstances, rollbackInfo, ignoreStopFailures, null);
    }

    synchronized Model.Deployment start(Model.Group g, JsonNode revision, String configName, String creator, String description,
                                        List<String> onlyInstances, ObjectNode rollbackInfo, boolean ignoreStopFailures,
                                        ObjectNode alarmOverride) throws Refused {
        Optional<Model.Deployment> active = deployments.values().stream()
                .filter(d -> d.groupId.equals(g.id) && d.active()).findFirst();
        if (active.isPresent()) {
            // the message users quote from CodeDeploy; the exception name is the API reference's
            throw new Refused("DeploymentLimitExceededException", "The Deployment Group '" + g.name
                    + "' already has an active Deployment '" + active.get().id + "'");
        }
        Model.Deployment last = g.lastSuccessfulDeploymentId == null ? null : deployments.get(g.lastSuccessfulDeploymentId);
        Model.Deployment d = new Model.Deployment(newId(), g.application, g, configName, creator, description,
                revision.deepCopy(), last == null ? null : last.revision, Instant.now());
        d.rollbackInfo = rollbackInfo;
        d.ignoreApplicationStopFailures = ignoreStopFailures;
        if (alarmOverride != null) {
            d.alarmOverride = alarmOverride.deepCopy();
            d.groupSpec.set("alarmConfiguration", alarmOverride.deepCopy());
        }
        deployments.put(d.id, d);
        g.lastAttemptedDeploymentId = d.id;
        runner.run(d, g, onlyInstances);
        return d;
    }

    /** Deployment ids: "d-" and nine upper-case letters and digits, as the API reference's examples show. */
    private static String newId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder sb = new StringBuilder("d-");
        for (int i = 0; i < 9; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }

    Model.Deployment deployment(String id) throws Refused {
        if (id == null || id.isEmpty()) throw new Refused("DeploymentIdRequiredException", "At least one deployment ID must be specified.");
        Model.Deployment d = deployments.get(id);
        if (d == null) {
            if (!id.matches("d-[A-Z0-9]{9}")) throw new Refused("InvalidDeploymentIdException", "The deployment ID " + id + " is not valid.");
            throw new Refused("DeploymentDoesNotExistException", "The deployment with the user or AWS account does not exist.");
        }
        return d;
    }

    ObjectNode info(Model.Deployment d) {
        ObjectNode o = JSON.createObjectNode().put("applicationName", d.application).put("deploymentGroupName", d.groupName)
                .put("deploymentConfigName", d.configName).put("deploymentId", d.id).put("status", d.status)
                .put("createTime", seconds(d.created)).put("creator", d.creator).put("computePlatform", "Server")
                .put("ignoreApplicationStopFailures", d.ignoreApplicationStopFailures).put("updateOutdatedInstancesOnly", false)
                .put("fileExistsBehavior", "DISALLOW").put("instanceTerminationWaitTimeStarted", false);
        if (d.description != null) o.put("description", d.description);
        o.set("revision", d.revision.deepCopy());
        if (d.previousRevision != null) o.set("previousRevision", d.previousRevision.deepCopy());
        if (d.started != null) o.put("startTime", seconds(d.started));
        if (d.completed != null) o.put("completeTime", seconds(d.completed));
        if (d.errorCode != null) o.putObject("errorInformation").put("code", d.errorCode).put("message", d.errorMessage);
        ObjectNode overview = o.putObject("deploymentOverview");
        for (String s : List.of("Pending", "InProgress", "Succeeded", "Failed", "Skipped", "Ready")) overview.put(s, 0);
        for (Model.Target t : d.targetList()) overview.put(t.status, overview.path(t.status).asLong() + 1);
        if (d.rollbackInfo != null) o.set("rollbackInfo", d.rollbackInfo.deepCopy());
        if (d.alarmOverride != null) o.set("overrideAlarmConfiguration", d.alarmOverride.deepCopy());
        o.set("deploymentStyle", d.groupSpec.has("deploymentStyle") ? d.groupSpec.get("deploymentStyle").deepCopy()
                : JSON.createObjectNode().put("deploymentType", "IN_PLACE").put("deploymentOption", "WITHOUT_TRAFFIC_CONTROL"));
        if (d.groupSpec.has("loadBalancerInfo")) o.set("loadBalancerInfo", d.groupSpec.get("loadBalancerInfo").deepCopy());
        if (d.groupSpec.has("autoRollbackConfiguration")) o.set("autoRollbackConfiguration", d.groupSpec.get("autoRollbackConfiguration").deepCopy());
        ArrayNode messages = o.putArray("deploymentStatusMessages");
        d.statusMessages.forEach(messages::add);
        return o;
    }

    private ObjectNode batchGetDeployments(JsonNode b) throws Refused {
        ArrayNode list = JSON.createArrayNode();
        for (JsonNode id : b.path("deploymentIds")) {
            Model.Deployment d = deployments.get(id.asText());
            if (d != null) list.add(info(d)); // unknown ids are left out of the answer
        }
        return (ObjectNode) JSON.createObjectNode().set("deploymentsInfo", list);
    }

    private ObjectNode listDeployments(JsonNode b) throws Refused {
        String app = b.path("applicationName").asText("");
        String group = b.path("deploymentGroupName").asText("");
        if (!app.isEmpty()) application(app);
        if (!group.isEmpty()) group(app, group);
        List<String> statuses = new ArrayList<>();
        b.path("includeOnlyStatuses").forEach(s -> statuses.add(s.asText()));
        ArrayNode ids = JSON.createArrayNode();
        deployments.values().stream()
                .filter(d -> app.isEmpty() || d.application.equals(app))
                .filter(d -> group.isEmpty() || d.groupName.equals(group))
                .filter(d -> statuses.isEmpty() || statuses.contains(d.status))
                .sorted(Comparator.comparing((Model.Deployment d) -> d.created).reversed())
                .forEach(d -> ids.add(d.id));
        return (ObjectNode) JSON.createObjectNode().set("deployments", ids);
    }

    private ObjectNode listTargets(JsonNode b) throws Refused {
        Model.Deployment d = deployment(b.path("deploymentId").asText());
        List<String> statuses = new ArrayList<>();
        b.path("targetFilters").path("TargetStatus").forEach(s -> statuses.add(s.asText()));
        ArrayNode ids = JSON.createArrayNode();
        for (Model.Target t : d.targetList()) if (statuses.isEmpty() || statuses.contains(t.status)) ids.add(t.instanceId);
        return (ObjectNode) JSON.createObjectNode().set("targetIds", ids);
    }

    private ObjectNode targetInfo(Model.Deployment d, Model.Target t) {
        ObjectNode o = JSON.createObjectNode().put("deploymentTargetType", "InstanceTarget");
        ObjectNode i = o.putObject("instanceTarget").put("deploymentId", d.id).put("targetId", t.instanceId)
                .put("targetArn", "arn:aws:ec2:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":instance/" + t.instanceId)
                .put("status", t.status).put("lastUpdatedAt", seconds(t.lastUpdated));
        ArrayNode events = i.putArray("lifecycleEvents");
        for (Model.Event e : t.events) {
            ObjectNode ev = events.addObject().put("lifecycleEventName", e.name).put("status", e.status);
            if (e.start != null) ev.put("startTime", seconds(e.start));
            if (e.end != null) ev.put("endTime", seconds(e.end));
            if (e.diagnostics != null) ev.set("diagnostics", e.diagnostics.deepCopy());
        }
        return o;
    }

    private Model.Target target(Model.Deployment d, String id) throws Refused {
        if (id == null || id.isEmpty()) throw new Refused("DeploymentTargetIdRequiredException", "A deployment target ID was not provided.");
        Model.Target t = d.targets.get(id);
        if (t == null) throw new Refused("DeploymentTargetDoesNotExistException", "The provided target ID does not belong to the attempted deployment.");
        return t;
    }

    private ObjectNode getTarget(JsonNode b) throws Refused {
        Model.Deployment d = deployment(b.path("deploymentId").asText());
        return (ObjectNode) JSON.createObjectNode().set("deploymentTarget", targetInfo(d, target(d, b.path("targetId").asText())));
    }

    private ObjectNode batchGetTargets(JsonNode b) throws Refused {
        Model.Deployment d = deployment(b.path("deploymentId").asText());
        ArrayNode list = JSON.createArrayNode();
        for (JsonNode id : b.path("targetIds")) list.add(targetInfo(d, target(d, id.asText())));
        return (ObjectNode) JSON.createObjectNode().set("deploymentTargets", list);
    }

    private ObjectNode stopDeployment(JsonNode b) throws Refused {
        Model.Deployment d = deployment(b.path("deploymentId").asText());
        if (!d.active()) {
            throw new Refused("DeploymentAlreadyCompletedException", "The deployment is already complete.");
        }
        d.stopMessage = "Deployment stopped by user";
        d.stopRequested = true;
        runner.stopping(d, b.path("autoRollbackEnabled").asBoolean(false));
        // API reference, StopDeployment: status Pending ("The stop operation is pending") or Succeeded
        return JSON.createObjectNode().put("status", "Pending").put("statusMessage", "Stopping deployment " + d.id);
    }

    // ----

    static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    private static String required(JsonNode b, String field, String code) throws Refused {
        String v = b.path(field).asText("");
        if (v.isEmpty()) throw new Refused(code, "The " + field + " must be specified.");
        return v;
    }

    @Override
    public void reset() {
        runner.reset();
        applications.clear();
        groups.clear();
        configs.clear();
        deployments.clear();
    }

    @Override
    public void close() {
        reset();
        runner.close();
    }
}
