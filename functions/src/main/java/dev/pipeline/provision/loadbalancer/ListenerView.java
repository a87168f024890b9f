package dev.pipeline.provision.loadbalancer;

/** A listener that exists: its ARN and what it does. */
public record ListenerView(String arn, ListenerSpec spec) {
}
