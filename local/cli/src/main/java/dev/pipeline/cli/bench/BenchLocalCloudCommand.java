package dev.pipeline.cli.bench;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code bench local-cloud}: measures start, reset and gateway overhead; writes and prints a Markdown report. */
public final class BenchLocalCloudCommand implements Command {
    @Override public String name() { return "bench local-cloud"; }

    @Override public String summary() { return "Measure local cloud start, reset and gateway overhead; write a Markdown table"; }

    @Override public String description() {
        return """
            Starts the local cloud several times (median start time: LocalCloud.startTime and wall time to the
            first answer), times resets, and times the same calls (ec2 DescribeVpcs, sqs GetQueueUrl, sfn
            ListStateMachines; ec2 calls signed as a role, so IAM enforcement evaluates a policy, reads a
            resource's tags for an aws:ResourceTag condition, or needs none) through the gateway and straight
            to moto after a warm-up, interleaved. Writes
            a Markdown table with the machine's details to the --out file (relative paths are relative to
            the repository root) and prints it. Uses free ports only. Takes about a minute.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("out", "FILE", "docs/benchmarks/local-cloud.md", "Where to write the Markdown report"),
                Option.value("calls", "N", "200", "Measured calls per call type and path, and resets"),
                Option.value("starts", "N", "5", "Local cloud starts to time"),
                BenchReport.JSON_FLAG);
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        int calls = options.intValue("calls", 5, 100_000);
        int starts = options.intValue("starts", 1, 50);
        Path out = context.workspace().root().resolve(options.value("out").orElseThrow());
        LocalCloudBench.Results results = new LocalCloudBench(starts, calls, context.err()).run();
        String command = "./pipeline bench local-cloud --calls " + calls + " --starts " + starts;
        BenchReport.Machine m = BenchReport.Machine.current();
        BenchReport.emit(options, context, out, BenchReport.markdown(results, command, m), BenchReport.json(results, command, m));
        return Main.OK;
    }
}
