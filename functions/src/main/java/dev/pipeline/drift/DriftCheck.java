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
import java.util.Map;

/**
 * One drift check, read-only: desired state (the spec + the applied manifest) against the describe calls, into a
 * {@link DriftReport}. Saves and announces nothing (that is {@link CheckDriftService}); the CLI calls this
 * directly: {@code DriftCheck.wire(env).check("vprofile")} → report; {@code report.inSync()} for the exit code.
 */
public final class DriftCheck {
    private final SnapshotGateway snapshots;
    private final ReportGateway reports;
    private final Clock clock;

    public DriftCheck(SnapshotGateway snapshots, ReportGateway reports, Clock clock) {
        this.snapshots = snapshots;
        this.reports = reports;
        this.clock = clock;
    }

    /** From a function-style environment: ARTIFACT_BUCKET, AWS_REGION (and locally AWS_ENDPOINT_URL, PIPELINE_LOCAL). */
    public static DriftCheck wire(Map<String, String> environment) {
        Env env = new Env(environment);
        AwsClients aws = new AwsClients(env);
        return new DriftCheck(new SnapshotGateway(aws.get(Ec2Client.class, Ec2Client::builder),
                aws.get(Route53Client.class, Route53Client::builder),
                aws.get(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder),
                aws.get(AutoScalingClient.class, AutoScalingClient::builder), aws.get(S3Client.class, S3Client::builder)),
                new ReportGateway(aws.get(S3Client.class, S3Client::builder), env.require("ARTIFACT_BUCKET")), Clock.systemUTC());
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

    private JsonNode manifest(String environment) {
        return reports.manifest(environment).orElseThrow(() -> new StageFailedException("environment " + environment
                + " has no applied manifest at s3://" + reports.bucket() + "/pipeline/" + environment
                + "/manifest.json: provision it first"));
    }

    public ReportGateway reports() { return reports; }

    public Clock clock() { return clock; }
}
