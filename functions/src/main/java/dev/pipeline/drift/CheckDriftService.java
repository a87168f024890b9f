package dev.pipeline.drift;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpecs;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;

/**
 * The scheduled check: run {@link DriftCheck}, save the report under {@code drift-reports/<env>/<timestamp>.json}
 * and as {@code latest.json}, publish the metrics, and notify only when the findings differ from the previous
 * report's (the same drift every hour is announced once). Idempotent per report key (the check's timestamp).
 */
public final class CheckDriftService {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final DriftCheck check;
    private final AlertGateway alerts;

    public CheckDriftService(DriftCheck check, AlertGateway alerts) {
        this.check = check;
        this.alerts = alerts;
    }

    public CheckDriftOutput run(CheckDriftInput in) {
        DriftReport report;
        if (in.spec() != null && !in.spec().isNull()) report = check.check(EnvironmentSpecs.fromTree(in.spec()));
        else if (in.environment() != null && !in.environment().isBlank()) report = check.check(in.environment());
        else throw new StageFailedException("CheckDrift needs {\"environment\": name} or {\"spec\": {...}}");

        String env = report.environment();
        ReportGateway reports = check.reports();
        Optional<DriftReport> previous = reports.latest(env);
        String key = "drift-reports/" + env + "/" + STAMP.format(check.clock().instant()) + ".json";
        reports.put(key, report);
        reports.put(ReportGateway.latestKey(env), report);
        alerts.metrics(env, report.counts(), report.notChecked().size());

        boolean notify = changed(previous.map(DriftReport::keys), report.keys());
        if (notify) {
            alerts.publish(subject(report), report.summary() + "\n\nReport: s3://" + reports.bucket() + "/" + key);
        }
        return new CheckDriftOutput(env, report.inSync(), report.findings().size(), report.counts(), report.notChecked().size(),
                reports.bucket(), key, notify);
    }

    /** First check: only drift is news. Later: any change, including "all fixed". */
    static boolean changed(Optional<Set<String>> previous, Set<String> now) {
        return previous.map(p -> !p.equals(now)).orElse(!now.isEmpty());
    }

    /** SNS subjects are ASCII, at most 100 characters. */
    private static String subject(DriftReport r) {
        String s = r.inSync() ? "Drift resolved: " + r.environment() + " is in sync"
                : "Drift in " + r.environment() + ": " + r.findings().size() + " finding(s), " + r.counts().get("critical") + " critical"
                + (r.notChecked().isEmpty() ? "" : ", " + r.notChecked().size() + " not checked");
        return s.length() > 100 ? s.substring(0, 100) : s;
    }
}
