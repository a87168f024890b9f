package dev.pipeline.estimate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long provisioning and a deploy of a spec take on AWS, and what the environment and a deploy cost, from
 * {@link AwsFigures} and the spec's own settings (fleet, health check, warm-up, refresh percentages). Pure: the
 * same spec gives the same estimate. The durations follow the workflows' steps (statemachine/*.asl.json): each wait
 * loop adds half a poll interval on average, because it notices the end up to one PollSeconds late.
 *
 * <p>The instance refresh is modelled as AWS documents it
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html): at least
 * {@code ceil(desired × MinHealthyPercentage / 100)} instances stay in service and healthy, at most
 * {@code floor(desired × MaxHealthyPercentage / 100)} run, so a batch replaces the difference (at least one);
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html: without an
 * instance maintenance policy MinHealthyPercentage defaults to 90 and MaxHealthyPercentage to 100);
 * with MaxHealthyPercentage 100 (the default when none is sent) old instances are terminated as their replacements
 * launch, above 100 the replacements launch first and the old ones go when they are healthy and warmed up. Each
 * batch waits for its new instances to launch and then both for the instance warm-up, which counts from InService
 * (RefreshPreferences.InstanceWarmup), and for the target group to find them healthy (boot, Tomcat, interval ×
 * healthy threshold); the two overlap, so the longer one counts.
 */
public final class Estimator {
    /** AWS's default MinHealthyPercentage when a refresh sends none. */
    public static final int AWS_DEFAULT_MIN_HEALTHY = 90;
    /** AWS's default MaxHealthyPercentage when a refresh sends none (terminate and launch together). */
    public static final int AWS_DEFAULT_MAX_HEALTHY = 100;

    /** One step of a workflow: its estimated duration and the figures it is made of. */
    public record Step(String name, double seconds, String how, List<Figure> figures) {}

    /** One line of the bill. */
    public record CostItem(String name, double perHourUsd, double perMonthUsd, String how, List<Figure> figures) {}

    /** The refresh's shape for a fleet: instances per batch and number of batches. */
    public record RefreshPlan(int desired, int minHealthyPercentage, int maxHealthyPercentage, int batchSize, int batches,
                              boolean launchBeforeTerminate) {}

    /** An in-place deployment's shape: its CodeDeploy configuration, instances per batch and number of batches. */
    public record InPlacePlan(String config, int desired, int batchSize, int batches) {}

    /**
     * The whole estimate of one spec. {@code inPlace} is an in-place release (strategy in-place-then-bake) until it is
     * live on every instance; {@code inPlaceImage} what follows it until its image is the launch template's.
     */
    public record Estimate(List<Step> provision, List<Step> deploy, RefreshPlan refresh, List<CostItem> environment,
                           List<CostItem> perDeploy, int deployTransitions, int deployInvocations,
                           List<Step> inPlace, InPlacePlan inPlacePlan, List<Step> inPlaceImage) {
        public double inPlaceToLiveSeconds() { return inPlace.stream().mapToDouble(Step::seconds).sum(); }

        public double inPlaceImageSeconds() { return inPlaceImage.stream().mapToDouble(Step::seconds).sum(); }

        public double provisionSeconds() { return provision.stream().mapToDouble(Step::seconds).sum(); }

        public double deploySeconds() { return deploy.stream().mapToDouble(Step::seconds).sum(); }

        public double perHourUsd() { return environment.stream().mapToDouble(CostItem::perHourUsd).sum(); }

        public double perMonthUsd() { return environment.stream().mapToDouble(CostItem::perMonthUsd).sum(); }

        public double deployCostUsd() { return perDeploy.stream().mapToDouble(CostItem::perMonthUsd).sum(); }
    }

    private final double pollSeconds;

    /** @param pollSeconds the workflows' PollSeconds (template.yaml default 30) */
    public Estimator(double pollSeconds) {
        if (pollSeconds <= 0) throw new IllegalArgumentException("pollSeconds must be positive");
        this.pollSeconds = pollSeconds;
    }

    public Estimator() { this(AwsFigures.POLL_SECONDS.value()); }

    /** The refresh AWS runs for {@code desired} instances with these percentages. */
    public static RefreshPlan refreshPlan(int desired, int minHealthy, int maxHealthy) {
        if (desired < 0) throw new IllegalArgumentException("desired must not be negative");
        if (minHealthy < 0 || minHealthy > 100) throw new IllegalArgumentException("MinHealthyPercentage is 0-100");
        if (maxHealthy < 100 || maxHealthy > 200) throw new IllegalArgumentException("MaxHealthyPercentage is 100-200");
        if (maxHealthy - minHealthy > 100) throw new IllegalArgumentException("MaxHealthyPercentage - MinHealthyPercentage is at most 100");
        if (desired == 0) return new RefreshPlan(0, minHealthy, maxHealthy, 0, 0, maxHealthy > 100);
        int keep = (int) Math.ceil(desired * minHealthy / 100.0);
        int most = (int) Math.floor(desired * maxHealthy / 100.0);
        int batch = Math.max(1, Math.min(desired, most - keep));
        int batches = (desired + batch - 1) / batch;
        return new RefreshPlan(desired, minHealthy, maxHealthy, batch, batches, maxHealthy > 100);
    }

    /**
     * CodeDeploy's predefined configurations ("Working with deployment configurations", CodeDeploy user guide):
     * OneAtATime deploys to one instance at a time; HalfAtATime to up to half of them at a time (rounded down, at least
     * one), keeping at least half healthy.
     */
    public static InPlacePlan inPlacePlan(String config, int desired) {
        int batch = switch (config) {
            case "CodeDeployDefault.OneAtATime" -> 1;
            case "CodeDeployDefault.HalfAtATime" -> Math.max(1, desired / 2);
            default -> throw new IllegalArgumentException("no in-place plan for deployment configuration " + config);
        };
        int batches = desired == 0 ? 0 : (desired + batch - 1) / batch;
        return new InPlacePlan(config, desired, Math.min(batch, Math.max(desired, 1)), batches);
    }

    public Estimate estimate(JsonNode spec) {
        int desired = spec.path("fleet").path("desired").asInt(2);
        JsonNode hc = spec.path("loadBalancer").path("healthCheck");
        Figure interval = new Figure("target group health check interval", hc.path("intervalSeconds").asInt(15), "s",
                "spec: loadBalancer.healthCheck.intervalSeconds; https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html");
        Figure healthy = new Figure("healthy threshold (consecutive successful checks)", hc.path("healthyThreshold").asInt(3), "checks",
                "spec: loadBalancer.healthCheck.healthyThreshold; same page");
        JsonNode dep = spec.path("deployment");
        Figure warmup = new Figure("instance warm-up before the next batch", dep.path("instanceWarmupSeconds").asInt(dev.pipeline.spec.SpecDefaults.INSTANCE_WARMUP_SECONDS), "s",
                "spec: deployment.instanceWarmupSeconds; https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html");
        Figure bakeTime = new Figure("bake time: alarms watched after the last batch", dep.path("bakeTimeSeconds")
                .asInt(dev.pipeline.spec.SpecDefaults.BAKE_TIME_SECONDS), "s",
                "spec: deployment.bakeTimeSeconds (RefreshPreferences.BakeTime); https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html");
        // the spec's defaults (launch before terminate), which every refresh the pipeline starts sends
        int minHealthy = dep.path("minHealthyPercentage").asInt(dev.pipeline.spec.SpecDefaults.MIN_HEALTHY_PERCENTAGE);
        int maxHealthy = dep.path("maxHealthyPercentage").asInt(dev.pipeline.spec.SpecDefaults.maxHealthyPercentage(minHealthy));
        RefreshPlan plan = refreshPlan(desired, minHealthy, maxHealthy);
        Figure poll = AwsFigures.POLL_SECONDS.with(pollSeconds, AwsFigures.POLL_SECONDS.source());
        double halfPoll = pollSeconds / 2;
        double healthChecks = interval.value() * healthy.value();

        // ---------------------------------------------------------------------------------------- provisioning
        List<Step> p = new ArrayList<>();
        p.add(new Step("ValidateSpec, security groups, secrets, load balancer (created, not waited for)",
                4 * AwsFigures.LAMBDA_INVOCATION.value(), "4 invocations", List.of(AwsFigures.LAMBDA_INVOCATION)));
        p.add(new Step("Backends db01, mc01, rmq01 running (launched together; the ALB becomes active meanwhile)",
                AwsFigures.INSTANCE_PENDING_TO_RUNNING.value() + halfPoll, "pending -> running, noticed half a poll late",
                List.of(AwsFigures.INSTANCE_PENDING_TO_RUNNING, poll)));
        p.add(new Step("ProvisionDns", AwsFigures.LAMBDA_INVOCATION.value(), "1 invocation", List.of(AwsFigures.LAMBDA_INVOCATION)));
        double app01 = AwsFigures.INSTANCE_PENDING_TO_RUNNING.value() + AwsFigures.OS_BOOT.value() + AwsFigures.APP_USER_DATA.value()
                + AwsFigures.CODEDEPLOY_AGENT_INSTALL.value();
        p.add(new Step("app01 running, booted and its user data done (JDK, Tomcat, bootstrap WAR, CodeDeploy agent)", app01 + halfPoll,
                "running + boot + user data + agent, half a poll", List.of(AwsFigures.INSTANCE_PENDING_TO_RUNNING, AwsFigures.OS_BOOT,
                        AwsFigures.APP_USER_DATA, AwsFigures.CODEDEPLOY_AGENT_INSTALL, poll)));
        p.add(new Step("Golden AMI (CreateImage with reboot, first snapshot)", AwsFigures.CREATE_IMAGE_FIRST.value() + halfPoll,
                "image pending -> available", List.of(AwsFigures.CREATE_IMAGE_FIRST, poll)));
        double fleetUp = AwsFigures.INSTANCE_PENDING_TO_RUNNING.value() + AwsFigures.OS_BOOT.value() + AwsFigures.TOMCAT_START.value() + healthChecks;
        p.add(new Step("Launch template, Auto Scaling group: " + desired + " instances in service and healthy", fleetUp + halfPoll,
                "running + boot + Tomcat + interval × healthy threshold, half a poll",
                List.of(AwsFigures.INSTANCE_PENDING_TO_RUNNING, AwsFigures.OS_BOOT, AwsFigures.TOMCAT_START, interval, healthy, poll)));
        p.add(new Step("ProvisionDeploymentGroup (CodeDeploy application and in-place group)", AwsFigures.LAMBDA_INVOCATION.value(),
                "1 invocation", List.of(AwsFigures.LAMBDA_INVOCATION)));
        p.add(new Step("VerifyEnvironment, SaveManifest, Notify, RespondToStack", halfPoll + 4 * AwsFigures.LAMBDA_INVOCATION.value(),
                "the site answers through the ALB (active long before)", List.of(AwsFigures.LAMBDA_INVOCATION, poll)));

        // ---------------------------------------------------------------------------------------- deploy
        List<Step> d = new ArrayList<>();
        d.add(new Step("Upload -> execution running", AwsFigures.UPLOAD_TO_EXECUTION.value(), "S3 -> EventBridge -> StartDeploy",
                List.of(AwsFigures.UPLOAD_TO_EXECUTION)));
        d.add(new Step("PrepareRelease, ValidateArtifact, AcquireLock, RecordRelease", 4 * AwsFigures.LAMBDA_INVOCATION.value() + 1,
                "4 invocations; streaming a ~100 MB WAR ~1 s", List.of(AwsFigures.LAMBDA_INVOCATION)));
        double builder = AwsFigures.INSTANCE_PENDING_TO_RUNNING.value() + AwsFigures.OS_BOOT.value() + AwsFigures.SSM_REGISTRATION.value();
        d.add(new Step("Builder up: running, booted, SSM Agent registered", builder + halfPoll, "half a poll",
                List.of(AwsFigures.INSTANCE_PENDING_TO_RUNNING, AwsFigures.OS_BOOT, AwsFigures.SSM_REGISTRATION, poll)));
        d.add(new Step("Install and verify the WAR (Run Command)", AwsFigures.WAR_INSTALL.value() + halfPoll, "half a poll",
                List.of(AwsFigures.WAR_INSTALL, poll)));
        d.add(new Step("Release AMI (CreateImage with reboot, incremental snapshot)", AwsFigures.CREATE_IMAGE_INCREMENTAL.value() + halfPoll,
                "half a poll", List.of(AwsFigures.CREATE_IMAGE_INCREMENTAL, poll)));
        d.add(new Step("CreateReleaseVersion", AwsFigures.LAMBDA_INVOCATION.value(), "1 invocation", List.of(AwsFigures.LAMBDA_INVOCATION)));
        // The warm-up runs from InService (the instance running), and the refresh also waits for the target group to
        // find the instance healthy: the two overlap, so a batch takes the longer of the two after the launch.
        double untilHealthy = AwsFigures.OS_BOOT.value() + AwsFigures.TOMCAT_START.value() + healthChecks;
        double batch = AwsFigures.INSTANCE_PENDING_TO_RUNNING.value() + Math.max(warmup.value(), untilHealthy);
        double lastTermination = plan.launchBeforeTerminate()
                ? AwsFigures.DEREGISTRATION_DELAY.value() + AwsFigures.TERMINATION.value() : 0;
        String batchHow = plan.batches() + " batch" + (plan.batches() == 1 ? "" : "es") + " of " + plan.batchSize()
                + " (Min " + minHealthy + "%, Max " + maxHealthy + "% of " + desired + "), each: running, then the longer of the "
                + (int) warmup.value() + " s warm-up and boot + Tomcat + " + (int) interval.value() + " s × " + (int) healthy.value() + " checks"
                + (plan.launchBeforeTerminate() ? "; then the old instances drain and terminate" : "; old instances terminate as replacements launch");
        d.add(new Step("Instance refresh", plan.batches() * batch + lastTermination + halfPoll, batchHow,
                List.of(AwsFigures.INSTANCE_PENDING_TO_RUNNING, AwsFigures.OS_BOOT, AwsFigures.TOMCAT_START, interval, healthy, warmup,
                        AwsFigures.DEREGISTRATION_DELAY, AwsFigures.TERMINATION, poll)));
        // Status Baking: the refresh is not Successful until the bake time has passed without an alarm in ALARM
        d.add(new Step("Bake time (Baking: the environment's alarms watched, rollback if one goes into ALARM)", bakeTime.value(),
                (int) bakeTime.value() + " s after the last batch", List.of(bakeTime)));
        d.add(new Step("RecordRelease, PruneImages, Notify, ReleaseLock", 4 * AwsFigures.LAMBDA_INVOCATION.value(), "4 invocations",
                List.of(AwsFigures.LAMBDA_INVOCATION)));

        // ---------------------------------------------------------------------------------------- in place
        // Each batch, as CodeDeploy runs an in-place deployment with traffic control (AppSpec 'hooks' section, "Lifecycle
        // event hook availability"): BlockTraffic deregisters the instances and waits out the deregistration delay; the
        // agent downloads the bundle; AfterInstall installs; ValidateService waits for Tomcat to answer; AllowTraffic
        // registers them again and waits until the target group finds them healthy. The release is live when the last
        // batch is back in service; the workflow's own noticing (half a poll) comes after that.
        InPlacePlan ip = inPlacePlan(spec.path("deployment").path("inPlace").path("config").asText("CodeDeployDefault.OneAtATime"), desired);
        double inPlaceBatch = AwsFigures.DEREGISTRATION_DELAY.value() + AwsFigures.CODEDEPLOY_AGENT_PICKUP.value()
                + AwsFigures.IN_PLACE_INSTALL.value() + AwsFigures.TOMCAT_START.value() + healthChecks;
        List<Step> ipl = new ArrayList<>();
        ipl.add(d.get(0));
        ipl.add(d.get(1));
        ipl.add(new Step("DeployInPlace: the revision bundle (WAR, appspec, hooks) to S3, CreateDeployment",
                AwsFigures.LAMBDA_INVOCATION.value() + 1, "1 invocation; copying a ~100 MB WAR ~1 s", List.of(AwsFigures.LAMBDA_INVOCATION)));
        ipl.add(new Step("CodeDeploy in-place deployment (" + ip.config() + ")", ip.batches() * inPlaceBatch,
                ip.batches() + " batch" + (ip.batches() == 1 ? "" : "es") + " of " + ip.batchSize() + " of " + desired
                        + ", each: " + (int) AwsFigures.DEREGISTRATION_DELAY.value() + " s draining, agent and download, install, Tomcat start, "
                        + (int) interval.value() + " s × " + (int) healthy.value() + " checks back in the target group",
                List.of(AwsFigures.DEREGISTRATION_DELAY, AwsFigures.CODEDEPLOY_AGENT_PICKUP, AwsFigures.IN_PLACE_INSTALL,
                        AwsFigures.TOMCAT_START, interval, healthy)));
        List<Step> ipi = new ArrayList<>();
        ipi.add(new Step("Noticed by the workflow", halfPoll, "half a poll", List.of(poll)));
        ipi.add(d.get(2));
        ipi.add(d.get(3));
        ipi.add(d.get(4));
        ipi.add(new Step("CreateReleaseVersion, then the template's default and the group's version (no refresh)",
                2 * AwsFigures.LAMBDA_INVOCATION.value(), "2 invocations", List.of(AwsFigures.LAMBDA_INVOCATION)));
        ipi.add(d.get(d.size() - 1));

        // ---------------------------------------------------------------------------------------- cost of the environment
        double hours = AwsFigures.HOURS_PER_MONTH.value();
        List<CostItem> env = new ArrayList<>();
        Map<String, Integer> types = new LinkedHashMap<>();
        for (String role : List.of("db", "mc", "rmq")) {
            String t = spec.path("instances").path(role).path("instanceType").asText("t3.small");
            types.merge(t, 1, Integer::sum);
        }
        String appType = spec.path("instances").path("app").path("instanceType").asText("t3.small");
        Figure appHour = priced(appType);
        for (var e : types.entrySet()) {
            Figure f = priced(e.getKey());
            env.add(item(e.getValue() + " × " + e.getKey() + " (backends)", e.getValue() * f.value(), hours, List.of(f)));
        }
        env.add(item(desired + " × " + appType + " (Tomcat fleet)", desired * appHour.value(), hours, List.of(appHour)));
        env.add(item("Application Load Balancer + " + (int) AwsFigures.LCUS_LOW_TRAFFIC.value() + " LCU",
                AwsFigures.LOAD_BALANCER_HOUR.value() + AwsFigures.LCUS_LOW_TRAFFIC.value() * AwsFigures.LCU_HOUR.value(), hours,
                List.of(AwsFigures.LOAD_BALANCER_HOUR, AwsFigures.LCU_HOUR, AwsFigures.LCUS_LOW_TRAFFIC)));
        int volumes = 3 + desired;
        double gb = volumes * AwsFigures.ROOT_VOLUME_GB.value();
        env.add(item("EBS gp3, " + volumes + " × " + (int) AwsFigures.ROOT_VOLUME_GB.value() + " GiB",
                gb * AwsFigures.GP3_GB_MONTH.value() / hours, hours, List.of(AwsFigures.GP3_GB_MONTH, AwsFigures.ROOT_VOLUME_GB)));
        int keep = spec.path("artifacts").path("keepReleases").asInt(3);
        double snapGb = AwsFigures.ROOT_VOLUME_GB.value() + keep * AwsFigures.RELEASE_SNAPSHOT_GB.value();
        env.add(new CostItem("Snapshots: golden AMI + " + keep + " kept releases (incremental)", 0,
                snapGb * AwsFigures.SNAPSHOT_GB_MONTH.value(), "per month", List.of(AwsFigures.SNAPSHOT_GB_MONTH, AwsFigures.RELEASE_SNAPSHOT_GB)));
        env.add(new CostItem("Route 53 private hosted zone", 0, AwsFigures.HOSTED_ZONE_MONTH.value(), "per month", List.of(AwsFigures.HOSTED_ZONE_MONTH)));
        // the environment's two alarms (5xx, healthy hosts), one metric each
        env.add(new CostItem("CloudWatch alarms: 5xx and healthy hosts", 0, 2 * AwsFigures.ALARM_MONTH.value(), "per month",
                List.of(AwsFigures.ALARM_MONTH)));
        // No NAT gateway: the spec names existing subnets and the pipeline creates none (AwsFigures.NAT_GATEWAY_HOUR
        // is there for the README's note on what a user's own NAT adds).

        // ---------------------------------------------------------------------------------------- cost of one deploy
        double deploySeconds = d.stream().mapToDouble(Step::seconds).sum();
        Step refresh = d.get(6);
        double bakeSeconds = d.get(2).seconds() + d.get(3).seconds() + d.get(4).seconds();
        int polls = (int) Math.ceil(bakeSeconds / pollSeconds)
                + (int) Math.ceil((refresh.seconds() + d.get(7).seconds()) / pollSeconds);
        int transitions = 31 + 3 * polls;
        int invocations = 15 + polls;
        List<CostItem> per = new ArrayList<>();
        per.add(new CostItem("Builder instance (" + appType + ") while baking", 0, appHour.value() * bakeSeconds / 3600,
                "per deploy", List.of(appHour)));
        double extraInstanceSeconds = plan.launchBeforeTerminate()
                ? plan.batches() * plan.batchSize() * (refresh.seconds() / Math.max(1, plan.batches()))
                : 0;
        per.add(new CostItem("Replacement instances running beside the old ones during the refresh", 0,
                appHour.value() * extraInstanceSeconds / 3600, "per deploy", List.of(appHour)));
        per.add(new CostItem(transitions + " state transitions (" + polls + " polls × 3 + 31)", 0,
                transitions * AwsFigures.STATE_TRANSITION.value(), "per deploy", List.of(AwsFigures.STATE_TRANSITION)));
        per.add(new CostItem(invocations + " Lambda invocations × " + AwsFigures.LAMBDA_INVOCATION.value() + " s × 1 GB", 0,
                invocations * (AwsFigures.LAMBDA_INVOCATION.value() * AwsFigures.LAMBDA_MEMORY_GB.value() * AwsFigures.LAMBDA_GB_SECOND.value()
                        + AwsFigures.LAMBDA_REQUEST.value()), "per deploy",
                List.of(AwsFigures.LAMBDA_GB_SECOND, AwsFigures.LAMBDA_REQUEST, AwsFigures.LAMBDA_MEMORY_GB)));
        return new Estimate(List.copyOf(p), List.copyOf(d), plan, List.copyOf(env), List.copyOf(per), transitions, invocations,
                List.copyOf(ipl), ip, List.copyOf(ipi));
    }

    private static Figure priced(String type) {
        Figure f = AwsFigures.instanceHour(type);
        if (f == null) throw new IllegalArgumentException("no us-east-1 price for instance type " + type + " in AwsFigures.instanceHour");
        return f;
    }

    private static CostItem item(String name, double perHour, double hours, List<Figure> figures) {
        return new CostItem(name, perHour, perHour * hours, "per hour × " + (int) hours + " h", figures);
    }
}
