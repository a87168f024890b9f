package dev.pipeline.cli;

/**
 * One {@code --name} a command accepts: a switch when {@code valueName} is null, else an option that takes
 * a value ({@code --port 4566} or {@code --port=4566}) with an optional default.
 */
public record Option(String name, String valueName, String defaultValue, String help) {
    public Option {
        if (!name.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("option names are lower-case words: " + name);
    }

    public static Option value(String name, String valueName, String defaultValue, String help) {
        return new Option(name, valueName, defaultValue, help);
    }

    public static Option flag(String name, String help) {
        return new Option(name, null, null, help);
    }

    public boolean takesValue() { return valueName != null; }

    /** How the option appears in usage lines: {@code --port N} or {@code --aws}. */
    public String synopsis() { return "--" + name + (takesValue() ? " " + valueName : ""); }
}
