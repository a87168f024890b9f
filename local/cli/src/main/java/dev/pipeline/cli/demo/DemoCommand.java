package dev.pipeline.cli.demo;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.cli.workflow.ExecutionWatcher;
import dev.pipeline.local.LocalCloud;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * {@code demo}: a throwaway local cloud runs a small state machine of our Java handlers (Task, Choice, Wait
 * loop) and prints each state as it finishes. To be replaced by provision/deploy once those exist.
 */
public final class DemoCommand implements Command {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Override public String name() { return "demo"; }

    @Override public String summary() { return "Run a small state machine of Java handlers on a throwaway local cloud"; }

    @Override public String description() {
        return """
            Starts a local cloud in this process, registers the demo functions (DemoCountDown, DemoSummarize),
            creates a state machine CountDown -> MoreToGo (Choice) -> Pause (Wait, SecondsPath) -> CountDown ...
            -> Summarize, runs it, prints each state as it finishes (name, type, seconds, from the execution
            history) and the output, then stops the local cloud. Exits 0 when the execution SUCCEEDED.""";
    }

    @Override public List<Option> options() {
        return List.of(
                Option.value("port", "N", "0", "Gateway port on 127.0.0.1; 0 = any free port"),
                Option.value("from", "N", "3", "Laps to count down"),
                Option.flag("aws", "Run against real AWS (not available for the demo)"));
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        if (options.flag("aws")) {
            throw new CommandFailedException("the demo is not available against real AWS (--aws): it runs only on a throwaway local cloud");
        }
        int port = options.intValue("port", 0, 65535);
        int from = options.intValue("from", 1, 20);
        PrintStream out = context.out();
        out.println("Starting a local cloud...");
        try (LocalCloud cloud = LocalCloud.start(port)) {
            out.printf("Local cloud at %s (moto on %s, started in %.1f s)%n", cloud.endpoint(), cloud.motoEndpoint(),
                    cloud.startTime().toMillis() / 1000.0);
            DemoFunctions.all().forEach(cloud::register);
            SfnClient sfn = cloud.client(SfnClient.class);
            String stateMachine = sfn.createStateMachine(b -> b.name(DemoFunctions.STATE_MACHINE)
                    .definition(DemoFunctions.definition())
                    .roleArn("arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/" + DemoFunctions.STATE_MACHINE))
                    .stateMachineArn();
            String input = DemoFunctions.input(from, 1);
            String execution = sfn.startExecution(b -> b.stateMachineArn(stateMachine)
                    .name("demo-" + UUID.randomUUID()).input(input)).executionArn();
            out.println("Running state machine " + DemoFunctions.STATE_MACHINE + " with input " + input);
            out.printf("  %-10s %-7s %8s%n", "State", "Type", "Seconds");
            ExecutionWatcher.Outcome outcome = new ExecutionWatcher(sfn, Duration.ofMillis(200)).watch(execution, TIMEOUT,
                    s -> {
                        out.printf("  %-10s %-7s %8.2f%n", s.name(), s.type(), s.seconds());
                        out.flush();
                    });
            out.printf("Execution %s in %.1f s%n", outcome.status(), outcome.elapsed().toMillis() / 1000.0);
            if (outcome.status() == ExecutionStatus.SUCCEEDED) {
                out.println("Output: " + outcome.output());
            } else {
                out.println("Error: " + outcome.error() + ": " + outcome.cause());
            }
            out.println("Stopping the local cloud.");
            return outcome.status() == ExecutionStatus.SUCCEEDED ? Main.OK : Main.FAILED;
        }
    }
}
