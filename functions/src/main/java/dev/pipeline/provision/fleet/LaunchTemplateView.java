package dev.pipeline.provision.fleet;

import java.util.Map;

/** A launch template that exists. */
public record LaunchTemplateView(String id, String name, long defaultVersion, long latestVersion, Map<String, String> tags) {
}
