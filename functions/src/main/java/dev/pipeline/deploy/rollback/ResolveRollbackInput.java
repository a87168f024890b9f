package dev.pipeline.deploy.rollback;

import dev.pipeline.deploy.release.UploadInput;

/** The deploy workflow state of a rollback run: its upload (id and time name the run) and the release asked for. */
public record ResolveRollbackInput(UploadInput upload, String rollbackTo) {}
