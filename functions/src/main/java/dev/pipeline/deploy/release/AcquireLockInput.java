package dev.pipeline.deploy.release;

import dev.pipeline.functions.Run;

/** The deploy workflow state, of which AcquireLock reads the upload, the run's timeout and the spec (for the lease). */
public record AcquireLockInput(UploadInput upload, Run run, com.fasterxml.jackson.databind.JsonNode spec) {}
