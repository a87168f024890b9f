package dev.pipeline.cli.deploy;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.functions.JsonHandler;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code status}: the live release, the fleet by AMI, the deploy in flight, the queue and the latest releases. */
public final class StatusCommand implements Command {

    @Override public String name() { return "status"; }

    @Override public String summary() { return "Show the live release, the fleet by AMI, the deploy in flight, the queue and the history"; }

    @Override public String description() {
        return """
            Reads, without changing anything: the live release (from the applied manifest and the releases
            table), the Auto Scaling group's instances grouped by the AMI they run with the release each AMI was
            baked for, the deploy holding the lock (and until when its lease runs), the uploads queued behind it
            (only the newest of them will deploy), and the latest releases with their status and reason. Exit 0.""";
    }

    @Override public List<Option> options() {
        List<Option> o = new ArrayList<>(List.of(Option.value("history", "N", "10", "How many releases to list")));
        o.addAll(DeployTarget.options());
        return o;
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        int n = options.intValue("history", 0, 1000);
        boolean json = options.flag("json");
        PrintStream out = context.out();
        // template.yaml redeployed locally: say so on stderr, stdout is the status alone
        DeployTarget target = DeployTarget.resolve(options, context, context.err());
        DeployStatus status = DeployStatus.read(target, n);
        if (json) out.println(JsonHandler.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status.toJson()));
        else status.print(out);
        return Main.OK;
    }
}
