package dev.pipeline.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.cli.CliContext;
import dev.pipeline.cli.Command;
import dev.pipeline.cli.Main;
import dev.pipeline.cli.Option;
import dev.pipeline.cli.Options;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code local status}: whether a local cloud answers on a port, and its endpoint, moto port, uptime and functions. */
public final class LocalStatusCommand implements Command {

    @Override public String name() { return "local status"; }

    @Override public String summary() { return "Show whether the local cloud is running, and where"; }

    @Override public String description() {
        return """
            Asks 127.0.0.1:PORT for GET /_local/status and prints whether a local cloud is running, its
            endpoint, moto's port, uptime and the functions it serves. Exits 0 when running, 1 when not.""";
    }

    @Override public List<Option> options() {
        return List.of(Option.value("port", "N", "4566", "Gateway port on 127.0.0.1"));
    }

    @Override
    public int run(Options options, CliContext context) {
        int port = options.intValue("port", 1, 65535);
        LocalControl control = new LocalControl(port);
        PidFile pidFile = new PidFile(context.workspace().pidFile(port));
        Optional<JsonNode> status = control.status();
        if (status.isEmpty()) {
            if (pidFile.liveServer().isEmpty()) pidFile.delete();
            context.out().println("Local cloud: not running on port " + port
                    + (control.portInUse() ? " (the port is in use by another program)"
                    : " (start it with ./pipeline local start" + LocalStartCommand.portArg(port) + ")"));
            return Main.FAILED;
        }
        JsonNode s = status.get();
        List<String> functions = new ArrayList<>();
        s.path("functions").forEach(f -> functions.add(f.asText()));
        context.out().printf("""
                Local cloud: running
                  endpoint:  %s
                  moto:      %s on port %d%s (Python %s)
                  uptime:    %s (started in %.1f s)
                  pid:       %s
                  functions: %s
                """,
                s.path("endpoint").asText(), s.path("motoVersion").asText(), s.path("motoPort").asInt(),
                s.path("motoAlive").asBoolean(true) ? "" : " -- NOT ALIVE, restart the local cloud",
                s.path("python").asText(), uptime(s.path("uptimeSeconds").asLong()), s.path("startSeconds").asDouble(),
                pidFile.liveServer().map(p -> Long.toString(p.pid())).orElse("(not started from this checkout)"),
                functions.isEmpty() ? "(none)" : String.join(", ", functions));
        return Main.OK;
    }

    /** 42s, 3m 05s, 2h 03m 05s. */
    static String uptime(long seconds) {
        long h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60;
        if (h > 0) return "%dh %02dm %02ds".formatted(h, m, s);
        if (m > 0) return "%dm %02ds".formatted(m, s);
        return s + "s";
    }
}
