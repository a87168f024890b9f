package dev.pipeline.deploy.bake;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.instances.UserDataRenderer;
import dev.pipeline.spec.HealthCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shell script the builder runs through SSM Run Command (AWS-RunShellScript): install exactly the validated
 * object version with the golden image's {@code pipeline-install-war} (which refuses a download whose sha256
 * differs), then wait, bounded, until Tomcat answers the spec's health path with one of its success codes. Pure.
 *
 * <p>Every value from outside (bucket, key, version id, health path) becomes one single-quoted shell word in an
 * assignment, so a key such as {@code releases/it's $(id); x.war} is data, never code. The script is POSIX sh with
 * {@code set -eu}: the agent runs it with {@code sh}. It holds no secret: the builder's instance role reads the
 * application's passwords at boot, as every app server does.
 */
public final class BakeCommand {
    /** The document whose {@code commands} parameter takes the lines. */
    public static final String DOCUMENT = "AWS-RunShellScript";
    /** How long the script may run on the builder (the document's executionTimeout). */
    public static final int EXECUTION_TIMEOUT_SECONDS = 900;
    /** Health polls: 60 × 5 s, well inside the execution timeout after a download and a Tomcat restart. */
    public static final int HEALTH_ATTEMPTS = 60;
    public static final int HEALTH_PAUSE_SECONDS = 5;
    static final String HELPER = "/usr/local/sbin/pipeline-install-war";
    /** The line of the helper that says it checks a sha256 (older golden images would silently ignore it). */
    static final String HELPER_CAPABILITY = "# capabilities: sha256";
    /**
     * Where the image records the release it was baked with. An in-place revision's install hook reads it: CodeDeploy
     * deploys the group's last successful revision to every instance Auto Scaling launches, and on an instance of a
     * newer release's image that would put the older WAR back (see InPlaceRevision).
     */
    public static final String IMAGE_RELEASE_FILE = "/var/lib/pipeline/image-release";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CODE = Pattern.compile("\\d{3}");
    private static final Pattern RANGE = Pattern.compile("(\\d{3})-(\\d{3})");

    private BakeCommand() {}

    /**
     * The script's lines.
     *
     * @param versionId the S3 version id, or null for an object in an unversioned bucket
     * @param port      the port Tomcat listens on
     */
    public static List<String> lines(String bucket, String key, String versionId, String sha256, HealthCheck health, int port,
                                     String releaseId) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new StageFailedException("$.artifact.sha256 must be 64 lowercase hex digits, got \"" + sha256 + "\"");
        }
        List<String> l = new ArrayList<>();
        l.add("set -eu");
        l.add("helper=" + quote(HELPER));
        l.add("source_uri=" + quote("s3://" + bucket + "/" + key));
        l.add("version_id=" + quote(versionId == null ? "" : versionId));
        l.add("sha256=" + quote(sha256));
        l.add("health_url=" + quote("http://127.0.0.1:" + port + health.path()));
        l.add("release=" + quote(releaseId));
        l.add("image_release_file=" + quote(IMAGE_RELEASE_FILE));
        l.add("if ! grep -qxF " + quote(HELPER_CAPABILITY) + " \"$helper\"; then");
        l.add("  echo 'the golden image has a pipeline-install-war that cannot check a sha256;"
                + " deregister the golden image and provision again to bake a new one' >&2");
        l.add("  exit 3");
        l.add("fi");
        l.add("\"$helper\" \"$source_uri\" \"$version_id\" \"$sha256\"");
        l.addAll(healthWait(health.successCodes(), List.of(
                "mkdir -p \"$(dirname \"$image_release_file\")\"",
                "printf '%s\\n' \"$release\" > \"$image_release_file\"")));
        return l;
    }

    /**
     * Polls {@code $health_url} (set before these lines) until Tomcat answers one of {@code successCodes}, at most
     * {@value #HEALTH_ATTEMPTS} × {@value #HEALTH_PAUSE_SECONDS} s; on success runs {@code onSuccess} and exits 0, else
     * says what it last got and exits 1. The bake and an in-place release's ValidateService hook wait alike.
     */
    public static List<String> healthWait(String successCodes, List<String> onSuccess) {
        List<String> l = new ArrayList<>();
        l.add("code=000");
        l.add("attempt=0");
        l.add("while [ \"$attempt\" -lt " + HEALTH_ATTEMPTS + " ]; do");
        l.add("  code=$(curl -s -o /dev/null -w '%{http_code}' \"$health_url\" || true)");
        l.add("  if " + matches(successCodes) + "; then");
        l.add("    echo \"Tomcat answers $health_url with $code\"");
        onSuccess.forEach(x -> l.add("    " + x));
        l.add("    exit 0");
        l.add("  fi");
        l.add("  attempt=$((attempt + 1))");
        l.add("  sleep " + HEALTH_PAUSE_SECONDS);
        l.add("done");
        l.add("echo \"Tomcat did not answer $health_url with " + successCodes + " within "
                + HEALTH_ATTEMPTS * HEALTH_PAUSE_SECONDS + " s (last status: $code)\" >&2");
        l.add("exit 1");
        return l;
    }

    /** A POSIX test of {@code $code} against ELB matcher syntax ({@code 200}, {@code 200,302}, {@code 200-299}). */
    public static String matches(String successCodes) {
        List<String> tests = new ArrayList<>();
        for (String part : successCodes.split(",")) {
            String p = part.trim();
            var range = RANGE.matcher(p);
            if (CODE.matcher(p).matches()) {
                tests.add("[ \"$code\" = " + p + " ]");
            } else if (range.matches()) {
                tests.add("{ [ \"$code\" -ge " + range.group(1) + " ] && [ \"$code\" -le " + range.group(2) + " ]; }");
            } else {
                throw new StageFailedException("the health check's success codes \"" + successCodes
                        + "\" are not ELB matcher syntax (200, 200,302 or 200-299)");
            }
        }
        return String.join(" || ", tests);
    }

    private static String quote(String value) {
        try {
            return UserDataRenderer.shellQuote(value);
        } catch (IllegalArgumentException e) {
            throw new StageFailedException("cannot pass this value to the builder's shell: " + e.getMessage(), e);
        }
    }
}
