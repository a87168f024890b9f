package dev.pipeline.provision.spec;

/** An AWS id the spec names, with the field path a problem about it is reported at (e.g. {@code network.appSubnets[1]}). */
public record IdRef(String path, String id) {}
