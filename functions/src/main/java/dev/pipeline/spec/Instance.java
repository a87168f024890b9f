package dev.pipeline.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * How one role's servers are built: base image, instance type and, for backends, the private DNS host name
 * the application is configured with ({@code db01} in {@code jdbc:mysql://db01.vprofile.in:3306/accounts}).
 */
public record Instance(Optional<String> hostname, AmiRef ami, String instanceType) {

    public Instance {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(ami, "ami");
        Objects.requireNonNull(instanceType, "instanceType");
    }
}
