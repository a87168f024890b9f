package dev.pipeline.cli.deploy;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.UsageException;
import dev.pipeline.functions.JsonHandler;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code deploy app.war}: uploads a WAR under releases/ in the artifact bucket, which starts the deploy workflow,
 * and follows that deploy to its end. Uploading the same file again makes a new object version, so a new deploy.
 */
public final class DeployCommand implements Command {

    @Override public String name() { return "deploy"; }

    @Override public String summary() { return "Upload a WAR and follow its deploy (in place and/or bake, refresh) to the end"; }

    @Override public String description() {
        return """
            Uploads WAR to the environment's artifact bucket under releases/ (the file's name, or --key). The upload
            starts the deploy workflow (the bucket's EventBridge rule): validate the artifact, take the deploy
            lock, bake an AMI with it (or reuse one baked from the same bytes), add a launch template version,
            run an instance refresh, record the release, prune old AMIs, notify. With --in-place (or the spec's
            deployment.strategy in-place-then-bake) CodeDeploy first puts the WAR on the running instances, a
            batch at a time out of the load balancer, rolling back on a failed health check or alarm; the image
            is baked after it and becomes the launch template's version without replacing any instance; --bake
            forces the bake path for this release. Prints each stage as it is
            entered, with the seconds since the upload. When another deploy is in flight the upload waits in the
            queue and is followed when its turn comes (or reported superseded when a newer upload wins).
            Exit 0 when the release SUCCEEDED; 1 when it was rejected, failed, rolled back or superseded, with
            the reason; 2 when WAR cannot be read.""";
    }

    @Override public List<String> arguments() { return List.of("WAR"); }

    @Override public List<Option> options() {
        List<Option> o = new ArrayList<>(List.of(
                Option.value("key", "KEY", null, "Object key to upload to (default releases/<file name>)"),
                Option.value("timeout", "MINUTES", "60", "Stop following after this long (the deploy goes on)"),
                Option.flag("in-place", "Deploy onto the running instances with CodeDeploy first, then bake (strategy in-place-then-bake)"),
                Option.flag("bake", "Bake and refresh, whatever the spec's deployment.strategy says")));
        o.addAll(DeployTarget.options());
        return o;
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        Path war = readableFile(options.argument(0).orElseThrow());
        String key = options.value("key").orElse("releases/" + war.getFileName());
        if (!key.startsWith("releases/") || !key.endsWith(".war") || key.length() <= "releases/.war".length()) {
            throw new UsageException("the key must be releases/<name>.war (only those start a deploy), not '" + key + "'", this);
        }
        int minutes = options.intValue("timeout", 1, 24 * 60);
        if (options.flag("in-place") && options.flag("bake")) throw new UsageException("--in-place and --bake exclude each other", this);
        String strategy = options.flag("in-place") ? "in-place-then-bake" : options.flag("bake") ? "bake" : null;
        boolean json = options.flag("json");
        PrintStream out = context.out();
        PrintStream progress = json ? context.err() : out;

        DeployTarget target = DeployTarget.resolve(options, context, progress);
        Deployer deployer = new Deployer(target, progress, false, Duration.ofMinutes(minutes));
        Instant since = Instant.now();
        Deployer.Uploaded up = deployer.upload(war, key, strategy);
        progress.printf("Uploaded %s (%s, sha256 %s) to s3://%s/%s, version %s%n", war.getFileName(), size(up.bytes()),
                up.sha256().substring(0, 12), up.bucket(), up.key(), up.versionId());
        DeployResult result = deployer.followUpload(up, since);
        if (json) {
            var doc = result.toJson();
            doc.putObject("upload").put("bucket", up.bucket()).put("key", up.key()).put("versionId", up.versionId())
                    .put("sha256", up.sha256()).put("bytes", up.bytes());
            out.println(JsonHandler.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            print(out, result);
        }
        return result.succeeded() ? Main.OK : Main.FAILED;
    }

    /** How a deploy ended, in one or two lines. */
    public static void print(PrintStream out, DeployResult r) {
        var rel = r.release();
        if (r.succeeded()) {
            out.printf("%nRelease SUCCEEDED in %.1f s: %s is live on %s (launch template version %s)%n", r.seconds(),
                    rel == null ? r.releaseId() : (rel.key() == null ? "the rollback" : rel.key() + " version " + rel.versionId()),
                    rel == null ? "?" : rel.ami(), rel == null ? "?" : rel.launchTemplateVersion());
            if (rel != null && rel.inPlace() != null && rel.inPlace().liveAt() != null && rel.startedAt() != null) {
                out.printf("  live in place after %.1f s (CodeDeploy deployment %s); its image followed without an instance refresh%n",
                        java.time.Duration.between(rel.startedAt(), rel.inPlace().liveAt()).toMillis() / 1000.0, rel.inPlace().deploymentId());
            }
        } else {
            out.printf("%nRelease %s after %.1f s: %s%n", r.status(), r.seconds(), r.reason() == null ? "(no reason recorded)" : r.reason());
            if (r.status().equals("ROLLED_BACK")) out.println("The fleet is back on the release it ran before.");
        }
        if (r.releaseId() != null) out.println("  release " + r.releaseId());
    }

    private Path readableFile(String arg) {
        Path p;
        try {
            p = Path.of(arg).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new UsageException("'" + arg + "' is not a file name", this);
        }
        if (!Files.exists(p)) throw new UsageException("cannot read WAR '" + arg + "': no such file", this);
        if (!Files.isRegularFile(p)) throw new UsageException("cannot read WAR '" + arg + "': not a file", this);
        if (!Files.isReadable(p)) throw new UsageException("cannot read WAR '" + arg + "': permission denied", this);
        return p;
    }

    static String size(long bytes) {
        if (bytes >= 1 << 20) return String.format("%.1f MiB", bytes / (double) (1 << 20));
        if (bytes >= 1 << 10) return String.format("%.1f KiB", bytes / 1024.0);
        return bytes + " bytes";
    }
}
