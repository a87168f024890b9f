package dev.pipeline.cli;

import dev.pipeline.cli.bench.BenchLocalCloudCommand;
import dev.pipeline.cli.demo.DemoCommand;
import dev.pipeline.cli.deploy.DeployCommand;
import dev.pipeline.cli.deploy.RollbackCommand;
import dev.pipeline.cli.deploy.StatusCommand;
import dev.pipeline.cli.local.LocalServeCommand;
import dev.pipeline.cli.local.LocalStartCommand;
import dev.pipeline.cli.local.LocalStatusCommand;
import dev.pipeline.cli.local.LocalStopCommand;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The command table: turns the words of a command line into the command to run, or the help to show. */
public final class Cli {

    /** What a command line asks for. */
    public sealed interface Invocation {
        /** Run {@code command} with {@code options}. */
        record Run(Command command, Options options) implements Invocation {}

        /** Print {@code text} and exit with {@code exitCode} (0 when help was asked for, 2 when a command was missing). */
        record Help(String text, int exitCode) implements Invocation {}
    }

    private final List<Command> commands;

    public Cli(List<Command> commands) {
        this.commands = List.copyOf(commands);
    }

    public static Cli standard() {
        return new Cli(List.of(new LocalStartCommand(), new LocalServeCommand(), new LocalStopCommand(),
                new LocalStatusCommand(), new DemoCommand(), new dev.pipeline.cli.env.PreflightCommand(),
                dev.pipeline.cli.env.EnvironmentCommand.up(),
                dev.pipeline.cli.env.EnvironmentCommand.down(), new dev.pipeline.cli.env.DriftCommand(), new BenchLocalCloudCommand(),
                new dev.pipeline.cli.bench.BenchProvisionCommand(), new dev.pipeline.cli.bench.BenchDriftCommand(),
                new DeployCommand(), new StatusCommand(), new RollbackCommand(), new dev.pipeline.cli.bench.BenchDeployCommand(),
                new dev.pipeline.cli.bench.BenchColdStartCommand(), new dev.pipeline.cli.estimate.EstimateCommand(),
                new dev.pipeline.cli.local.IamReportCommand(), new dev.pipeline.cli.bench.BenchInstancesCommand()));
    }

    public List<Command> commands() { return commands; }

    /**
     * Resolves a command line: the longest run of leading words that names a command, then its options.
     *
     * @throws UsageException for an unknown command or option
     */
    public Invocation parse(List<String> args) {
        if (args.isEmpty()) return new Invocation.Help(help(""), 2);
        String first = args.getFirst();
        if (isHelp(first)) return new Invocation.Help(help(""), 0);
        if (first.equals("help")) {
            String topic = String.join(" ", args.subList(1, args.size()));
            if (!topic.isEmpty() && find(topic).isEmpty() && !groups().contains(topic)) {
                throw new UsageException("no help for unknown command '" + topic + "'", "");
            }
            return new Invocation.Help(help(topic), 0);
        }
        Optional<Command> match = commands.stream()
                .filter(c -> startsWith(args, words(c)))
                .max(Comparator.comparingInt(c -> words(c).size()));
        if (match.isPresent()) {
            Command c = match.get();
            Options options = Options.parse(c, args.subList(words(c).size(), args.size()));
            return options.helpRequested() ? new Invocation.Help(help(c.name()), 0) : new Invocation.Run(c, options);
        }
        if (groups().contains(first)) {
            if (args.size() == 1) return new Invocation.Help(help(first), 2);
            if (isHelp(args.get(1))) return new Invocation.Help(help(first), 0);
            throw new UsageException("unknown command '" + first + " " + args.get(1) + "'", first);
        }
        if (first.equals("test")) {
            throw new UsageException("'test' is run by the ./pipeline script at the repository root (./pipeline test)", "");
        }
        throw new UsageException(first.startsWith("-") ? "unknown option '" + first + "' (options go after the command)"
                : "unknown command '" + first + "'", "");
    }

    /** The usage for a command ("local start"), a group ("local"), or everything (""). */
    public String help(String topic) {
        Optional<Command> c = find(topic);
        if (c.isPresent()) return commandHelp(c.get());
        StringBuilder b = new StringBuilder();
        List<Command> listed = commands.stream().filter(x -> topic.isEmpty() || x.name().startsWith(topic + " ")).toList();
        b.append("Usage: ./pipeline ").append(topic.isEmpty() ? "<command>" : topic + " <command>").append(" [options]\n\n");
        if (topic.isEmpty()) {
            b.append("Runs the pipeline against the local cloud (moto_server behind our edge gateway) by default.\n\n");
        }
        b.append("Commands:\n");
        int width = listed.stream().mapToInt(x -> x.name().length()).max().orElse(4);
        width = Math.max(width, "test [maven args]".length());
        for (Command x : listed) b.append(String.format("  %-" + width + "s  %s%n", x.name(), x.summary()));
        if (topic.isEmpty()) {
            b.append(String.format("  %-" + width + "s  %s%n", "test [maven args]", "Run the project's tests: ./mvnw -B verify with JDK 25 (script only)"));
        }
        b.append("\nRun './pipeline ").append(topic.isEmpty() ? "" : topic + " ").append("<command> --help' for a command's options.\n");
        return b.toString();
    }

    private static String commandHelp(Command c) {
        StringBuilder b = new StringBuilder("Usage: ./pipeline ").append(c.name());
        for (String a : c.arguments()) b.append(' ').append(a);
        for (Option o : c.options()) b.append(" [").append(o.synopsis()).append(']');
        b.append("\n\n").append(c.description().strip()).append("\n\nOptions:\n");
        List<Option> all = new ArrayList<>(c.options());
        all.add(Option.flag("help", "Show this help"));
        int width = all.stream().mapToInt(o -> o.synopsis().length()).max().orElse(6);
        for (Option o : all) {
            String dflt = o.defaultValue() == null ? "" : " (default " + o.defaultValue() + ")";
            b.append(String.format("  %-" + width + "s  %s%s%n", o.synopsis(), o.help(), dflt));
        }
        return b.toString();
    }

    private Optional<Command> find(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private Set<String> groups() {
        Set<String> g = new LinkedHashSet<>();
        for (Command c : commands) if (words(c).size() > 1) g.add(words(c).getFirst());
        return g;
    }

    private static List<String> words(Command c) { return List.of(c.name().split(" ")); }

    private static boolean startsWith(List<String> args, List<String> words) {
        return args.size() >= words.size() && args.subList(0, words.size()).equals(words);
    }

    private static boolean isHelp(String arg) { return arg.equals("--help") || arg.equals("-h"); }
}
