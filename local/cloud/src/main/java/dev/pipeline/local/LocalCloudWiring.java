package dev.pipeline.local;

import dev.pipeline.local.ec2.LaunchTemplateInheritance;
import dev.pipeline.local.ec2.RunInstancesIdempotency;
import dev.pipeline.local.ec2.SecurityGroupDependencies;
import dev.pipeline.local.gateway.ControlApi;
import dev.pipeline.local.gateway.EdgeGateway;
import dev.pipeline.local.refresh.InstanceRefreshInterceptor;
import dev.pipeline.local.route53.CallerReferenceGuard;

/**
 * The one place that decides which of moto's gaps the gateway fills, and in what order.
 * Each interceptor owns one gap; see local/README.md for what each does and why.
 */
final class LocalCloudWiring {
    private LocalCloudWiring() {}

    static void install(LocalCloud cloud) {
        EdgeGateway g = cloud.gateway();
        ControlApi control = g.control();
        control.register("/_local/status", r -> ControlApi.ok(cloud.status()));
        control.register("/_local/shutdown", r -> {
            ControlApi.requireMethod(r, "POST");
            Thread.ofVirtual().start(cloud::requestShutdown);
            return ControlApi.ok(ControlApi.JSON.createObjectNode().put("stopping", true));
        });
        // the local Lambda service: a CLI in another process registers template functions here (LocalDeployment)
        control.register("/_local/functions", r -> {
            if ("GET".equals(r.method())) {
                return ControlApi.ok(ControlApi.JSON.valueToTree(cloud.lambda().functionNames().stream().sorted().toList()));
            }
            ControlApi.requireMethod(r, "POST");
            dev.pipeline.local.lambda.FunctionDefinition f =
                    ControlApi.JSON.treeToValue(r.json(), dev.pipeline.local.lambda.FunctionDefinition.class);
            try {
                Class.forName(f.className());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("handler class " + f.className() + " is not on the local cloud's classpath");
            }
            cloud.register(f);
            return ControlApi.ok(ControlApi.JSON.createObjectNode().put("registered", f.name()));
        });
        // interceptors: one per gap, in order
        // IAM first: a denied request must change nothing, so no other interceptor may act on it before
        dev.pipeline.local.iam.IamEnforcement iam = new dev.pipeline.local.iam.IamEnforcement(
                dev.pipeline.local.iam.IamEnforcement.Mode.configured());
        g.addInterceptor(iam);
        control.register("/_local/iam", r -> {
            if ("POST".equals(r.method())) {
                com.fasterxml.jackson.databind.JsonNode body = r.json();
                if (body.has("mode")) {
                    iam.mode(dev.pipeline.local.iam.IamEnforcement.Mode.valueOf(body.get("mode").asText().toUpperCase(java.util.Locale.ROOT)));
                }
                if (body.path("clearUsage").asBoolean(false)) iam.clearUsage();
            }
            return ControlApi.ok(iam.usage());
        });
        dev.pipeline.local.instances.InstanceModel instances;
        try {
            instances = new dev.pipeline.local.instances.InstanceModel(cloud.endpoint(), cloud.motoEndpoint(), cloud.clock());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot set up the instance model", e);
        }
        // CreateImage: the snapshot tags moto cannot take are set aside, then the instance's disk is captured. One
        // interceptor for both: the first to answer a call ends its chain, so two separate ones would lose one half
        // (an image created with snapshot tags, as every bake asks, was never captured and booted an empty disk).
        g.addInterceptor(instances.imageCapture(new dev.pipeline.local.ec2.SnapshotTagsAtCreation()));
        g.addInterceptor(new LaunchTemplateInheritance());
        g.addInterceptor(new RunInstancesIdempotency());
        g.addInterceptor(new SecurityGroupDependencies());
        g.addInterceptor(new CallerReferenceGuard());
        g.addInterceptor(new dev.pipeline.local.quotas.ServiceQuotas());
        g.addInterceptor(new dev.pipeline.local.iam.ServiceLinkedRoleNames());
        g.addInterceptor(new dev.pipeline.local.sns.PublishSubjectRule());
        g.addInterceptor(new dev.pipeline.local.ssm.ManagedInstanceRule(instances));
        // Run Command scripts run on the instances (moto answers Success without running anything)
        g.addInterceptor(new dev.pipeline.local.ssm.RunCommand(instances, cloud.clock()));
        // CloudFormation's response URL for the custom resource (an interceptor for its reset; it intercepts nothing)
        dev.pipeline.local.cloudformation.CustomResourceResponses stackAnswers = new dev.pipeline.local.cloudformation.CustomResourceResponses();
        g.addInterceptor(stackAnswers);
        control.register(dev.pipeline.local.cloudformation.CustomResourceResponses.PATH, stackAnswers::route);
        InstanceRefreshInterceptor refresh = new InstanceRefreshInterceptor(cloud.motoEndpoint(), cloud.clock());
        g.addInterceptor(refresh);
        control.register("/_local/health", refresh.health()::route);
        g.addInterceptor(new dev.pipeline.local.stepfunctions.NameRule());
        // the load balancers: real HTTP sites and health checks; DescribeTargetHealth and refreshes answer from them
        dev.pipeline.local.elb.LoadBalancers lbs = new dev.pipeline.local.elb.LoadBalancers(
                cloud.motoEndpoint(), cloud.clock(), cloud::instanceEndpoints, refresh.health());
        g.addInterceptor(lbs);
        refresh.instanceHealth(lbs);
        control.register("/_local/sites", lbs::route);
        // CloudWatch alarms on the load balancers' metrics are evaluated (moto never evaluates an alarm)
        g.addInterceptor(new dev.pipeline.local.cloudwatch.AlarmEvaluator(cloud.motoEndpoint(), lbs, cloud.clock()));
        // CodeDeploy deployments run on the instances (moto's never leave Created): codedeploy/CodeDeployService
        try {
            dev.pipeline.local.codedeploy.CodeDeployService codeDeploy = new dev.pipeline.local.codedeploy.CodeDeployService(
                    new dev.pipeline.local.codedeploy.DeploymentRunner(cloud.endpoint(), cloud.motoEndpoint(), cloud.clock(), instances));
            g.addInterceptor(codeDeploy);
            // IAM authorizes GetDeployment & co. on the deployment's group (SAR), which only the local CodeDeploy knows
            iam.codeDeployGroups(codeDeploy::groupOf);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot set up CodeDeploy", e);
        }
        g.addInterceptor(new dev.pipeline.local.events.ExecutionNameInterceptor());
        g.addInterceptor(new dev.pipeline.local.dynamodb.ItemIsolation());
        // instances are little machines: boot scripts run, Tomcat serves, images copy disks (instances/InstanceModel)
        g.addInterceptor(instances);
        cloud.instanceModel(instances);
        // keep the event relay last: it forwards S3 writes itself, so interceptors before it still see them
        g.addInterceptor(new dev.pipeline.local.events.EventRelayInterceptor(cloud.motoEndpoint(), cloud.lambda()));
    }
}
