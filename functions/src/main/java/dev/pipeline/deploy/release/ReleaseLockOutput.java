package dev.pipeline.deploy.release;

import java.util.List;

/**
 * What ReleaseLock leaves at {@code $.handoff}.
 *
 * @param next             the upload id that deploys next (absent when none waited)
 * @param nextExecutionArn its execution, started by this call or an earlier try of it
 * @param superseded       upload ids skipped because a newer one exists, recorded SUPERSEDED
 * @param summary          what this call did, in a user's words
 */
public record ReleaseLockOutput(String next, String nextExecutionArn, List<String> superseded, String summary) {}
