package dev.pipeline.drift;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpecs;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The scheduled check: run {@link DriftCheck}, save the report under {@code drift-reports/<env>/<timestamp>.json}
 * and as {@code latest.json}, publish the metrics, and notify only when the findings differ from the previous
 * report's (the same drift every hour is announced once). With auto-fix on ({@code DRIFT_AUTO_FIX=true}) it first
 * applies the safe fix plan, then checks again: the saved report is the second check and lists what was fixed, and
 * a fix is always announced. Idempotent per report key (the check's timestamp); fixes are idempotent by nature
 * (each restores a desired value).
 */
public final class CheckDriftService {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final DriftCheck check;
    private final AlertGateway alerts;
    private final boolean autoFix;

    public CheckDriftService(DriftCheck check, AlertGateway alerts) {
        this(check, alerts, false);
    }

    public CheckDriftService(DriftCheck check, AlertGateway alerts, boolean autoFix) {
        this.check = check;
        this.alerts = alerts;
        this.autoFix = autoFix;
    }

    public CheckDriftOutput run(CheckDriftInput in) {
        boolean bySpec = in.spec() != null && !in.spec().isNull();
        if (!bySpec && (in.environment() == null || in.environment().isBlank())) {
            throw new StageFailedException("CheckDrift needs {\"environment\": name} or {\"spec\": {...}}");
        }
        Supplier<DriftReport> checkNow = bySpec ? () -> check.check(EnvironmentSpecs.fromTree(in.spec())) : () -> check.check(in.environment());
        DriftReport report;
        List<String> fixed = List.of();
        if (autoFix) {
            DriftCheck.Plan plan = bySpec ? check.plan(EnvironmentSpecs.fromTree(in.spec())) : check.plan(in.environment());
            if (plan.fixes().isEmpty()) {
                report = plan.report();
            } else {
                fixed = applyEach(plan.fixes());
                report = checkNow.get().withFixed(fixed);
            }
        } else {
            report = checkNow.get();
        }

        String env = report.environment();
        ReportGateway reports = check.reports();
        Optional<DriftReport> previous = reports.latest(env);
        String key = "drift-reports/" + env + "/" + STAMP.format(check.clock().instant()) + ".json";
        reports.put(key, report);
        reports.put(ReportGateway.latestKey(env), report);
        alerts.metrics(env, report.counts(), report.notChecked().size());

        boolean notify = !fixed.isEmpty() || changed(previous.map(DriftReport::keys), report.keys());
        if (notify) {
            alerts.publish(subject(report), report.summary() + "\n\nReport: s3://" + reports.bucket() + "/" + key);
        }
        return new CheckDriftOutput(env, report.inSync(), report.findings().size(), report.counts(), report.notChecked().size(),
                reports.bucket(), key, notify, fixed);
    }

    /**
     * The fixes one by one: a fix AWS refuses (e.g. DriftFixPolicy missing, a quota) is reported as failed and the
     * rest still run, so the scheduled check always saves its report.
     */
    private List<String> applyEach(FixPlan plan) {
        List<String> lines = new ArrayList<>();
        for (Fix f : plan.fixes()) {
            try {
                lines.addAll(check.apply(new FixPlan(List.of(f))));
            } catch (AwsServiceException e) {
                String code = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode();
                lines.add("failed: " + f.describe() + " (" + code + ")");
            }
        }
        return lines;
    }

    /** First check: only drift is news. Later: any change, including "all fixed". */
    static boolean changed(Optional<Set<String>> previous, Set<String> now) {
        return previous.map(p -> !p.equals(now)).orElse(!now.isEmpty());
    }

    /** A subject SNS accepts ({@link dev.pipeline.functions.SnsSubject}). */
    private static String subject(DriftReport r) {
        String s = !r.fixed().isEmpty() && r.inSync() ? "Drift fixed: " + r.environment() + " is in sync (" + r.fixed().size() + " fix(es))"
                : r.inSync() ? "Drift resolved: " + r.environment() + " is in sync"
                : "Drift in " + r.environment() + ": " + r.findings().size() + " finding(s), " + r.counts().get("critical") + " critical"
                + (r.notChecked().isEmpty() ? "" : ", " + r.notChecked().size() + " not checked");
        return dev.pipeline.functions.SnsSubject.fit(s);
    }
}
