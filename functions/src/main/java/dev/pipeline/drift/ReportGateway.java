package dev.pipeline.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.manifest.AppliedManifest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The artifact bucket as drift uses it: the applied manifest in, reports out under {@code drift-reports/<env>/}. */
public final class ReportGateway {
    private final S3Client s3;
    private final String bucket;

    public ReportGateway(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() { return bucket; }

    public static String latestKey(String environment) {
        return "drift-reports/" + environment + "/latest.json";
    }

    public Optional<JsonNode> manifest(String environment) {
        return json(AppliedManifest.key(environment));
    }

    /** The report of the previous check, if there was one. */
    public Optional<DriftReport> latest(String environment) {
        return json(latestKey(environment)).map(n -> {
            try {
                return JsonHandler.JSON.treeToValue(n, DriftReport.class);
            } catch (IOException e) {
                return null; // an unreadable old report counts as none: the next notification says everything again
            }
        });
    }

    public void put(String key, DriftReport report) {
        String body;
        try {
            body = JsonHandler.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString(body));
    }

    private Optional<JsonNode> json(String key) {
        try {
            return Optional.of(JsonHandler.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("s3://" + bucket + "/" + key + " is not JSON", e);
        }
    }
}
