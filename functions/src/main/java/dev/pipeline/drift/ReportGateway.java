package dev.pipeline.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.manifest.ManifestGateway;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The artifact bucket as drift uses it: the applied manifest in, reports out under {@code drift-reports/<env>/}. */
public final class ReportGateway {
    private final S3Client s3;
    private final String bucket;
    private final ManifestGateway objects;

    public ReportGateway(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
        this.objects = new ManifestGateway(s3, bucket);
    }

    public String bucket() { return bucket; }

    public static String latestKey(String environment) {
        return "drift-reports/" + environment + "/latest.json";
    }

    public Optional<JsonNode> manifest(String environment) {
        return objects.read(environment);
    }

    /** The report of the previous check, if there was one. */
    public Optional<DriftReport> latest(String environment) {
        return objects.json(latestKey(environment)).map(n -> {
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
}
