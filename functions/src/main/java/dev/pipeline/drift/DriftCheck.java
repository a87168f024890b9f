package dev.pipeline.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One drift check: desired state (the spec + the applied manifest) against the describe calls, into a
 * {@link DriftReport}. Saves and announces nothing (that is {@link CheckDriftService}). The CLI calls it directly:
 * <pre>
 *   DriftCheck drift = DriftCheck.wire(env);            // ARTIFACT_BUCKET, AWS_REGION (+ AWS_ENDPOINT_URL locally)
 *   DriftReport r = drift.check("vprofile");            // read-only; r.inSync() → exit code, r.summary() → text
 *   DriftCheck.Plan p = drift.plan("vprofile");         // --fix: the report and the safe repairs, to print first
 *   List&lt;String&gt; done = drift.apply(p.fixes());         // then apply them; check() again is clean for those
 * </pre>
 */
public final class DriftCheck {
    private final SnapshotGateway snapshots;
    private final ReportGateway reports;
    private final FixGateway fixer;
    private final Clock clock;

    /** What a check found and the safe repairs for it. */
    public record Plan(DriftReport report, FixPlan fixes) {}

    public DriftCheck(SnapshotGateway snapshots, ReportGateway reports, FixGateway fixer, Clock clock) {
        this.snapshots = snapshots;
        this.reports = reports;
        this.fixer = fixer;
        this.clock = clock;
    }

    /** From a function-style environment: ARTIFACT_BUCKET, AWS_REGION (and locally AWS_ENDPOINT_URL, PIPELINE_LOCAL). */
    public static DriftCheck wire(Map<String, String> environment) {
        Env env = new Env(environment);
        AwsClients aws = new AwsClients(env);
        Ec2Client ec2 = aws.get(Ec2Client.class, Ec2Client::builder);
        Route53Client route53 = aws.get(Route53Client.class, Route53Client::builder);
        ElasticLoadBalancingV2Client elb = aws.get(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder);
        AutoScalingClient autoscaling = aws.get(AutoScalingClient.class, AutoScalingClient::builder);
        S3Client s3 = aws.get(S3Client.class, S3Client::builder);
        return new DriftCheck(new SnapshotGateway(ec2, route53, elb, autoscaling, s3,
                new dev.pipeline.provision.alarms.AlarmGateway(aws.get(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.class,
                        software.amazon.awssdk.services.cloudwatch.CloudWatchClient::builder)),
                new dev.pipeline.provision.codedeploy.CodeDeployGateway(aws.get(software.amazon.awssdk.services.codedeploy.CodeDeployClient.class,
                        software.amazon.awssdk.services.codedeploy.CodeDeployClient::builder))),
                new ReportGateway(s3, env.require("ARTIFACT_BUCKET")), new FixGateway(ec2, route53, elb, autoscaling), Clock.systemUTC());
    }

    /** Checks an environment against the spec recorded in its applied manifest. */
    public DriftReport check(String environment) {
        JsonNode manifest = manifest(environment);
        return check(EnvironmentSpecs.fromTree(manifest.path("spec")), manifest);
    }

    /** Checks against a given spec (e.g. the one about to be applied) and the environment's applied manifest. */
    public DriftReport check(EnvironmentSpec spec) {
        return check(spec, manifest(spec.name()));
    }

    private DriftReport check(EnvironmentSpec spec, JsonNode manifest) {
        Desired want = Desired.of(spec, manifest, reports.bucket());
        return DriftReport.of(spec.name(), clock.instant(), DriftRules.evaluate(want, snapshots.read(want)));
    }

    /** A check plus the safe repairs for what it found (nothing changed yet). */
    public Plan plan(String environment) {
        JsonNode manifest = manifest(environment);
        return plan(EnvironmentSpecs.fromTree(manifest.path("spec")), manifest);
    }

    /** {@link #plan(String)} against a given spec and the environment's applied manifest. */
    public Plan plan(EnvironmentSpec spec) {
        return plan(spec, manifest(spec.name()));
    }

    private Plan plan(EnvironmentSpec spec, JsonNode manifest) {
        Desired want = Desired.of(spec, manifest, reports.bucket());
        Snapshot have = snapshots.read(want);
        return new Plan(DriftReport.of(spec.name(), clock.instant(), DriftRules.evaluate(want, have)), FixPlan.of(want, have));
    }

    /** Applies the plan's repairs in order; one line per fix saying what was done or why it was skipped. */
    public List<String> apply(FixPlan plan) {
        return plan.fixes().stream().map(fixer::apply).toList();
    }

    private JsonNode manifest(String environment) {
        return reports.manifest(environment).orElseThrow(() -> new StageFailedException("environment " + environment
                + " has no applied manifest at s3://" + reports.bucket() + "/pipeline/" + environment
                + "/manifest.json: provision it first"));
    }

    public ReportGateway reports() { return reports; }

    public Clock clock() { return clock; }
}
