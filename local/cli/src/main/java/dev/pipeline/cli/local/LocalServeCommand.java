package dev.pipeline.cli.local;

import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;
import dev.pipeline.local.LocalCloud;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code local serve}: runs a local cloud in this process until SIGTERM/SIGINT or POST /_local/shutdown. */
public final class LocalServeCommand implements Command {
    @Override public String name() { return "local serve"; }

    @Override public String summary() { return "Run the local cloud in the foreground (what 'local start' runs)"; }

    @Override public String description() {
        return """
            Runs the local cloud in this terminal on 127.0.0.1:PORT and serves Lambda functions in-process
            ('./pipeline up' registers template.yaml's functions with it). Stops on Ctrl-C, SIGTERM or POST /_local/shutdown, and stops
            moto_server with it. Writes .pipeline/local-PORT.pid while it serves.""";
    }

    @Override public List<Option> options() {
        return List.of(Option.value("port", "N", "4566", "Gateway port on 127.0.0.1"),
                Option.value("iam", "MODE", "enforce", "IAM: enforce (deny as AWS would), soft (log would-be denials, allow), off"),
                Option.value("time-scale", "N", "60", "AWS seconds per local second for boot, images, warm-ups (1 = real time)"));
    }

    @Override
    public int run(Options options, CliContext context) throws Exception {
        int port = options.intValue("port", 0, 65535);
        System.setProperty("pipeline.iam", LocalStartCommand.iamMode(options, this));
        LocalCloud cloud = LocalCloud.start(port, options.clock());
        dev.pipeline.local.elb.LoadBalancers.checksUnlessModelAsked(cloud);
        PidFile pidFile = new PidFile(context.workspace().pidFile(cloud.port()));
        long pid = ProcessHandle.current().pid();
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (!stopped.compareAndSet(false, true)) return;
            cloud.close();
            pidFile.deleteIfOwnedBy(pid);
            context.out().println("Local cloud on port " + cloud.port() + " stopped");
            context.out().flush();
        };
        Thread hook = new Thread(stop, "local-cloud-stop");
        Runtime.getRuntime().addShutdownHook(hook); // SIGTERM, SIGINT: the JVM runs the hooks, moto goes too

        CountDownLatch shutdownRequested = new CountDownLatch(1);
        cloud.onShutdownRequest(shutdownRequested::countDown);
        // the product's functions arrive with './pipeline up' (LocalDeployment registers them over /_local/functions)
        pidFile.write(pid); // last: 'local start' reports success once this exists and the gateway answers

        context.out().printf("Local cloud listening on %s (pid %d; moto on %s; started in %.2f s)%n",
                cloud.endpoint(), pid, cloud.motoEndpoint(), cloud.startTime().toMillis() / 1000.0);
        context.out().flush();
        try {
            shutdownRequested.await();
            context.out().println("Shutdown requested");
        } finally {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run; nothing left to undo
            }
        }
        return 0;
    }
}
