package dev.pipeline.deploy.artifact;

/**
 * An uploaded artifact that must not be deployed, with the reason in a user's words. Raised by {@link WarValidator}
 * and {@link ValidateArtifactService}; the handler reports it as a failed stage, so nothing downstream changes.
 */
public final class ArtifactRejectedException extends RuntimeException {

    /** Why an upload was refused; the release record and the notification carry it. */
    public enum Reason { NOT_A_ZIP, EMPTY, TOO_LARGE, NOT_A_WAR, UNSAFE_PATH, ZIP_BOMB, INCONSISTENT_ZIP, BAD_METADATA }

    private final Reason reason;

    public ArtifactRejectedException(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public ArtifactRejectedException(Reason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
