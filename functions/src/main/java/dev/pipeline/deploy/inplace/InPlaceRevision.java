package dev.pipeline.deploy.inplace;

import dev.pipeline.deploy.bake.BakeCommand;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.provision.instances.UserDataRenderer;
import dev.pipeline.spec.HealthCheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The CodeDeploy revision of an in-place release: a zip bundle of {@code appspec.yml}, the release's WAR as
 * {@code ROOT.war}, and four hook scripts. Pure: the text of each file and the bundle written to a stream.
 *
 * <p>AppSpec for EC2 ("AppSpec 'files' section", "AppSpec 'hooks' section", CodeDeploy user guide): the agent copies
 * {@code ROOT.war} to {@value #STAGING} during Install, then runs, in this order, ApplicationStop (from the revision
 * that was last deployed successfully; nothing on an instance's first deployment), AfterInstall, ApplicationStart and
 * ValidateService; each script runs as root with the timeout given, and a non-zero exit fails the deployment on that
 * instance. With traffic control, the instance is out of the target group from BeforeBlockTraffic to
 * AfterAllowTraffic, so ValidateService probes Tomcat directly, as the ALB would, before it gets traffic again.
 *
 * <ul>
 *   <li>An instance whose image was baked with this release or a later one ({@link BakeCommand#IMAGE_RELEASE_FILE})
 *       keeps its image's WAR: CodeDeploy deploys the group's last successful revision to every instance Auto Scaling
 *       launches, which after a later bake release would otherwise put an older WAR on its new instances.</li>
 *   <li>{@code stop.sh}: stops Tomcat (AL2023's tomcat9 unit, as the golden image recorded in /etc/pipeline/app.env).</li>
 *   <li>{@code install.sh}: checks the copied WAR's sha256 against the validated upload's, and installs it as ROOT with
 *       the golden image's {@code pipeline-install-war} (the same installer the bake uses; it starts Tomcat).</li>
 *   <li>{@code start.sh}: starts Tomcat (already running after the install; starting a started unit does nothing).</li>
 *   <li>{@code validate.sh}: polls the spec's health path until Tomcat answers with one of the target group's success
 *       codes, bounded; the answer it last got is in the script's output, which CodeDeploy keeps as the log tail.</li>
 * </ul>
 * Every value from outside (the health path) becomes one single-quoted shell word, so it is data, never code. No script
 * holds a secret: Tomcat's start reads the passwords from SSM on the instance, as at boot.
 */
public final class InPlaceRevision {
    /** Where the agent copies the WAR during the Install event. */
    static final String STAGING = "/var/lib/pipeline/revision";
    static final String HELPER = "/usr/local/sbin/pipeline-install-war";
    /** The line of the golden image's installer that says it installs from a file (images before it cannot). */
    static final String HELPER_CAPABILITY = "# capabilities: file";
    /** Health polls as the bake's ({@link BakeCommand#healthWait}), inside ValidateService's timeout. */
    static final int HEALTH_ATTEMPTS = BakeCommand.HEALTH_ATTEMPTS;
    static final int HEALTH_PAUSE_SECONDS = BakeCommand.HEALTH_PAUSE_SECONDS;
    static final int VALIDATE_TIMEOUT_SECONDS = HEALTH_ATTEMPTS * HEALTH_PAUSE_SECONDS + 60;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private InPlaceRevision() {}

    /** The files of the bundle besides the WAR, by path in the bundle, in the order they are written. */
    public static Map<String, String> files(String sha256, HealthCheck health, int port, String releaseId) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new StageFailedException("$.artifact.sha256 must be 64 lowercase hex digits, got \"" + sha256 + "\"");
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("appspec.yml", appspec());
        f.put("scripts/stop.sh", script("""
                source /etc/pipeline/app.env
                systemctl stop "$TOMCAT_SERVICE"
                echo "stopped $TOMCAT_SERVICE"
                """));
        f.put("scripts/install.sh", script("release=" + quote(releaseId) + "\n"
                + "expected=" + quote(sha256) + "\n"
                + "war=" + quote(STAGING + "/ROOT.war") + "\n"
                + "helper=" + quote(HELPER) + "\n"
                + "image_release_file=" + quote(BakeCommand.IMAGE_RELEASE_FILE) + "\n"
                + """
                # CodeDeploy deploys the group's last successful revision to every instance Auto Scaling launches
                # ("Integrating CodeDeploy with Amazon EC2 Auto Scaling"); an instance whose image was baked with this
                # release or a later one (release ids sort by time) keeps its image's WAR
                if [ -f "$image_release_file" ]; then
                  image_release=$(cat "$image_release_file")
                  if [[ ! "$image_release" < "$release" ]]; then
                    echo "this instance's image holds release $image_release, not older than $release: its WAR stays"
                    exit 0
                  fi
                fi
                if ! grep -qxF %s "$helper"; then
                  echo "the golden image's pipeline-install-war cannot install from a file; provision again to bake a new golden image" >&2
                  exit 3
                fi
                actual=$(sha256sum "$war" | cut -d' ' -f1)
                if [ "$actual" != "$expected" ]; then
                  echo "release $release: the revision's ROOT.war has sha256 $actual, expected $expected; nothing installed" >&2
                  exit 3
                fi
                "$helper" "file://$war" "" "$expected"
                """.formatted(quote(HELPER_CAPABILITY))));
        f.put("scripts/start.sh", script("""
                source /etc/pipeline/app.env
                systemctl start "$TOMCAT_SERVICE"
                echo "started $TOMCAT_SERVICE"
                """));
        f.put("scripts/validate.sh", script("health_url=" + quote("http://127.0.0.1:" + port + health.path()) + "\n"
                + String.join("\n", BakeCommand.healthWait(health.successCodes(), List.of())) + "\n"));
        return f;
    }

    /** Writes the bundle: the files, then the WAR read from {@code war} as {@code ROOT.war} (stored, it is a zip already). */
    public static void write(OutputStream out, Map<String, String> files, InputStream war) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (var e : files.entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey()));
            zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        zip.setLevel(Deflater.NO_COMPRESSION);
        zip.putNextEntry(new ZipEntry("ROOT.war"));
        war.transferTo(zip);
        zip.closeEntry();
        zip.finish();
    }

    private static String appspec() {
        // "version: 0.0" is the only value AppSpec files for EC2 take; os linux; runas root is the agent's default
        return """
                version: 0.0
                os: linux
                files:
                  - source: ROOT.war
                    destination: %s
                hooks:
                  ApplicationStop:
                    - location: scripts/stop.sh
                      timeout: 120
                      runas: root
                  AfterInstall:
                    - location: scripts/install.sh
                      timeout: 600
                      runas: root
                  ApplicationStart:
                    - location: scripts/start.sh
                      timeout: 300
                      runas: root
                  ValidateService:
                    - location: scripts/validate.sh
                      timeout: %d
                      runas: root
                """.formatted(STAGING, VALIDATE_TIMEOUT_SECONDS);
    }

    private static String script(String body) {
        // C collation: release ids compare byte by byte, as they sort
        return "#!/bin/bash\nset -euo pipefail\nexport LC_ALL=C\n" + body;
    }

    private static String quote(String value) {
        try {
            return UserDataRenderer.shellQuote(value);
        } catch (IllegalArgumentException e) {
            throw new StageFailedException("cannot pass this value to the instances' shell: " + e.getMessage(), e);
        }
    }
}
