package dev.pipeline.spec;

/** Size of the app server Auto Scaling group: {@code 1 <= min <= desired <= max <= }{@link SpecDefaults#FLEET_MAX_CAP}. */
public record Fleet(int min, int desired, int max) {
}
