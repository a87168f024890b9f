package dev.pipeline.estimate;

/**
 * One figure the estimate rests on: its value in {@code unit}, and where it comes from (an AWS page, or the spec, or
 * this project's code), so a reader can check it and the local cloud's clock can use the same number.
 *
 * @param name   what it measures, e.g. "EC2 instance pending -> running"
 * @param value  the figure, in {@code unit}
 * @param unit   "s" for durations, "USD/h", "USD/GB-month", ...
 * @param source a URL, "spec: field", or "code: Class.CONSTANT", with a word on how firm it is
 */
public record Figure(String name, double value, String unit, String source) {
    public Figure {
        if (name == null || name.isBlank() || unit == null || source == null || source.isBlank()) {
            throw new IllegalArgumentException("a figure needs a name, a unit and a source");
        }
        if (value < 0) throw new IllegalArgumentException(name + " is negative: " + value);
    }

    /** The same figure with another value and source (a spec's own setting instead of the default). */
    public Figure with(double newValue, String newSource) { return new Figure(name, newValue, unit, newSource); }
}
