package dev.pipeline.deploy.release;

/** The deploy workflow state, of which PrepareRelease reads the mode and the upload. */
public record PrepareReleaseInput(String mode, UploadInput upload) {}
