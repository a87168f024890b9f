package dev.pipeline.cli.local;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.CommandFailedException;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code local stop}: asks the local cloud on a port to stop and waits until it has; stopping nothing is fine. */
public final class LocalStopCommand implements Command {
    private static final Duration GRACE = Duration.ofSeconds(20);

    @Override public String name() { return "local stop"; }

    @Override public String summary() { return "Stop the local cloud"; }

    @Override public String description() {
        return """
            Asks the local cloud on 127.0.0.1:PORT to stop (POST /_local/shutdown), waits until its process
            has exited (signalling it, by the pid in .pipeline/local-PORT.pid, if it does not answer or
            does not stop), and removes the pid file. Exits 0 also when nothing was running.""";
    }

    @Override public List<Option> options() {
        return List.of(Option.value("port", "N", "4566", "Gateway port on 127.0.0.1"));
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        int port = options.intValue("port", 1, 65535);
        LocalControl control = new LocalControl(port);
        PidFile pidFile = new PidFile(context.workspace().pidFile(port));
        Optional<ProcessHandle> process = pidFile.liveServer();
        boolean accepted = control.requestShutdown();
        if (!accepted && process.isEmpty()) {
            pidFile.delete();
            context.out().println("No local cloud running on port " + port);
            return Main.OK;
        }
        if (!accepted) process.get().destroy(); // not answering: SIGTERM runs its shutdown hook, which stops moto
        if (process.isPresent()) {
            awaitExit(process.get());
        } else {
            awaitSilence(control); // started elsewhere (no pid file here): wait until the port stops answering
        }
        pidFile.delete();
        context.out().println("Stopped the local cloud at " + control.endpoint()
                + process.map(p -> " (pid " + p.pid() + ")").orElse(""));
        return Main.OK;
    }

    private static void awaitExit(ProcessHandle p) throws InterruptedException {
        try {
            p.onExit().get(GRACE.toSeconds(), TimeUnit.SECONDS);
            return;
        } catch (TimeoutException e) {
            p.destroy();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        try {
            p.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly(); // its moto child exits by itself when the JVM's end closes its stdin
        }
    }

    private static void awaitSilence(LocalControl control) throws InterruptedException {
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (System.nanoTime() < deadline) {
            if (control.status().isEmpty()) return;
            Thread.sleep(100);
        }
        throw new CommandFailedException("the local cloud at " + control.endpoint() + " accepted the shutdown but still answers after "
                + GRACE.toSeconds() + " s");
    }
}
