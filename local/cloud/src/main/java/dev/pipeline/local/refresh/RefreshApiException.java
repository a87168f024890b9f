package dev.pipeline.local.refresh;

/** An Auto Scaling API error the gateway answers with (HTTP 400, a Sender fault with an AWS error code). */
public final class RefreshApiException extends RuntimeException {
    private final String code;

    public RefreshApiException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() { return code; }

    static RefreshApiException validation(String message) {
        return new RefreshApiException("ValidationError", message);
    }
}
