package dev.pipeline.deploy.release;

import dev.pipeline.functions.Run;

/** The deploy workflow state, of which AcquireLock reads the upload and the run's timeout. */
public record AcquireLockInput(UploadInput upload, Run run) {}
