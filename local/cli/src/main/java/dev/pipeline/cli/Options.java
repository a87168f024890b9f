package dev.pipeline.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options given to one command, checked against what it accepts. Parsing is hand-rolled on purpose:
 * a dozen options do not justify a dependency in every developer's first build.
 */
public final class Options {
    private final Command command;
    private final Map<String, String> given;
    private final List<String> arguments;
    private final boolean help;

    private Options(Command command, Map<String, String> given, List<String> arguments, boolean help) {
        this.command = command;
        this.given = given;
        this.arguments = List.copyOf(arguments);
        this.help = help;
    }

    /**
     * Parses {@code args} (what follows the command words) for {@code command}. {@code --help} anywhere wins.
     *
     * Words that are not options fill the command's {@link Command#arguments()} in order.
     *
     * @throws UsageException for an unknown option, a missing value, a repeated option, a stray or missing argument
     */
    public static Options parse(Command command, List<String> args) {
        Map<String, Option> accepted = new LinkedHashMap<>();
        for (Option o : command.options()) accepted.put(o.name(), o);
        if (args.contains("--help") || args.contains("-h")) return new Options(command, Map.of(), List.of(), true);
        Map<String, String> given = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                if (positional.size() >= command.arguments().size() || arg.startsWith("-")) {
                    throw new UsageException("unexpected argument '" + arg + "'", command);
                }
                positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            Option option = accepted.get(name);
            if (option == null) throw new UsageException("unknown option '--" + name + "'", command);
            String value;
            if (!option.takesValue()) {
                if (eq >= 0) throw new UsageException("option --" + name + " takes no value", command);
                value = "true";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new UsageException("option --" + name + " needs a value (" + option.synopsis() + ")", command);
            }
            if (value.isEmpty()) throw new UsageException("option --" + name + " needs a value (" + option.synopsis() + ")", command);
            if (given.put(name, value) != null) throw new UsageException("option --" + name + " given twice", command);
        }
        for (int i = positional.size(); i < command.arguments().size(); i++) {
            String name = command.arguments().get(i);
            if (!name.startsWith("[")) throw new UsageException("missing argument " + name, command);
        }
        return new Options(command, given, positional, false);
    }

    /** The {@code index}-th argument (0 = first), empty when an optional one was not given. */
    public Optional<String> argument(int index) {
        return index < arguments.size() ? Optional.of(arguments.get(index)) : Optional.empty();
    }

    /** {@code --help} or {@code -h} was given: show the command's help instead of running it. */
    public boolean helpRequested() { return help; }

    /** Whether a switch was given. */
    public boolean flag(String name) { return given.containsKey(spec(name).name()); }

    /** The value given, else the option's default, else empty. */
    public Optional<String> value(String name) {
        return Optional.ofNullable(given.getOrDefault(name, spec(name).defaultValue()));
    }

    /** An integer option within [min, max]. */
    /** The local cloud's clock from {@code --time-scale} (AWS seconds per local second; 1 = real time). */
    public dev.pipeline.local.clock.LocalClock clock() {
        String v = value("time-scale").orElse(String.valueOf(dev.pipeline.local.clock.LocalClock.DEFAULT_SCALE));
        try {
            return new dev.pipeline.local.clock.LocalClock(Double.parseDouble(v));
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --time-scale must be a number >= 1 (1 = real time), not '" + v + "'", command);
        }
    }

    public int intValue(String name, int min, int max) {
        String v = value(name).orElseThrow(() -> new UsageException("option --" + name + " is required", command));
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below, as for an out-of-range number
        }
        throw new UsageException("option --" + name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'", command);
    }

    private Option spec(String name) {
        return command.options().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(command.name() + " declares no option --" + name));
    }
}
