package dev.pipeline.spec;

import java.util.Arrays;
import java.util.Optional;

/**
 * The four server roles of the vprofile stack. Ports are the application's contract (its
 * {@code application.properties} and Tomcat's connector), so they are fixed here rather than configurable.
 */
public enum Role {
    DB("db", 3306, "MariaDB"),
    MC("mc", 11211, "Memcached"),
    RMQ("rmq", 5672, "RabbitMQ"),
    APP("app", 8080, "Tomcat");

    private final String key;
    private final int port;
    private final String service;

    Role(String key, int port, String service) {
        this.key = key;
        this.port = port;
        this.service = service;
    }

    /** The key used in the spec document and in resource names ({@code db}, {@code mc}, {@code rmq}, {@code app}). */
    public String key() {
        return key;
    }

    /** The TCP port the role serves on. */
    public int port() {
        return port;
    }

    /** What runs there, for messages and descriptions. */
    public String service() {
        return service;
    }

    /**
     * Backends are found by private DNS name ({@code db01.vprofile.in}); app servers sit behind the load
     * balancer in an Auto Scaling group and get no DNS record.
     */
    public boolean hasPrivateDnsName() {
        return this != APP;
    }

    public static Optional<Role> fromKey(String key) {
        return Arrays.stream(values()).filter(r -> r.key.equals(key)).findFirst();
    }
}
