package dev.pipeline.cli.deploy;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.functions.JsonHandler;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code rollback [RELEASE]}: puts a recorded release's AMI back live with the deploy workflow, without a bake. */
public final class RollbackCommand implements Command {

    @Override public String name() { return "rollback"; }

    @Override public String summary() { return "Put a previous release back live (its AMI, no bake) and follow it"; }

    @Override public String description() {
        return """
            Starts the deploy workflow in rollback mode and follows it like deploy does. RELEASE is a release id
            from './pipeline status' (the history); without it, the release before the live one. The workflow
            refuses an unknown release, one that did not succeed, or one whose AMI is gone, and says which. The
            rollback takes the deploy lock like any deploy, adds a launch template version with that AMI and runs
            an instance refresh; it is recorded in the history as a release of its own. Exit 0 when it
            SUCCEEDED, 1 otherwise with the reason.""";
    }

    @Override public List<String> arguments() { return List.of("[RELEASE]"); }

    @Override public List<Option> options() {
        List<Option> o = new ArrayList<>(List.of(
                Option.value("poll", "SECONDS", null, "Wait between checks of the instance refresh (default 1 locally, 15 with --aws)"),
                Option.value("timeout", "MINUTES", "60", "How long the rollback may take")));
        o.addAll(DeployTarget.options());
        return o;
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        String to = options.argument(0).orElse(null);
        int poll = options.value("poll").isPresent() ? options.intValue("poll", 1, 300) : options.flag("aws") ? 15 : 1;
        int minutes = options.intValue("timeout", 1, 24 * 60);
        boolean json = options.flag("json");
        PrintStream out = context.out();
        PrintStream progress = json ? context.err() : out;
        DeployTarget target = DeployTarget.resolve(options, context, progress);
        progress.println("Rolling " + target.environment() + " back to " + (to == null ? "the release before the live one" : to) + " ...");
        DeployResult result = new Deployer(target, progress, false, Duration.ofMinutes(minutes)).rollback(to, poll, minutes * 60);
        if (json) out.println(JsonHandler.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result.toJson()));
        else DeployCommand.print(out, result);
        return result.succeeded() ? Main.OK : Main.FAILED;
    }
}
