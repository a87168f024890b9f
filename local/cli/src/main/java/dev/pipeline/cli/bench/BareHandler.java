package dev.pipeline.cli.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The cold-start benchmark's floor: the least a Java handler can be that makes the same kind of SDK call as a stage.
 * One sync client of BARE_SERVICE (url-connection HTTP client, built in the constructor as a stage's is), one call
 * per invocation on BARE_RESOURCE, no JSON mapping, no stage service. It runs from the functions jar's classes, so
 * the two load the same SDK. Never deployed: the benchmark copies this class into a task directory of its own.
 */
public final class BareHandler implements RequestStreamHandler {
    private final String service = System.getenv("BARE_SERVICE");
    private final String resource = System.getenv("BARE_RESOURCE");
    private final Object client;

    public BareHandler() {
        var http = UrlConnectionHttpClient.builder().build();
        var region = Region.of(System.getenv("AWS_REGION"));
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY")));
        var endpoint = URI.create(System.getenv("AWS_ENDPOINT_URL"));
        client = switch (service) {
            case "s3" -> S3Client.builder().httpClient(http).region(region).credentialsProvider(creds)
                    .endpointOverride(endpoint).forcePathStyle(true).build();
            case "dynamodb" -> DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(creds).endpointOverride(endpoint).build();
            case "ec2" -> Ec2Client.builder().httpClient(http).region(region).credentialsProvider(creds).endpointOverride(endpoint).build();
            case "autoscaling" -> AutoScalingClient.builder().httpClient(http).region(region).credentialsProvider(creds).endpointOverride(endpoint).build();
            default -> throw new IllegalStateException("BARE_SERVICE " + service);
        };
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws java.io.IOException {
        in.readAllBytes();
        String answer = switch (client) {
            case S3Client s3 -> "keys " + s3.listObjectsV2(r -> r.bucket(resource).maxKeys(1)).keyCount();
            case DynamoDbClient d -> "table " + d.describeTable(r -> r.tableName(resource)).table().tableStatusAsString();
            case Ec2Client ec2 -> "images " + ec2.describeImages(r -> r.owners("self")).images().size();
            case AutoScalingClient a -> "groups " + a.describeAutoScalingGroups().autoScalingGroups().size();
            default -> throw new IllegalStateException();
        };
        out.write(("{\"bare\":\"" + answer + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
