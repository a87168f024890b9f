package dev.pipeline.deploy.rollout;

/** One numbered launch template version: the AMI it launches and its description ({@code release:<id>} for releases). */
public record TemplateVersion(long number, String imageId, String description) {
}
