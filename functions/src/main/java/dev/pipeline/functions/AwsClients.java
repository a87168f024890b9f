package dev.pipeline.functions;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * SDK clients for one Lambda container, built once and reused: the light url-connection HTTP client,
 * the region from AWS_REGION, and, when AWS_ENDPOINT_URL is set (the local cloud), that endpoint with
 * path-style S3. Credentials come from the default chain on AWS, or from the environment locally.
 */
public final class AwsClients {
    private final Env env;
    private final SdkHttpClient http;
    private final Map<Class<?>, SdkClient> clients = new ConcurrentHashMap<>();

    public AwsClients(Env env) {
        this.env = env;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    public Region region() { return Region.of(env.require("AWS_REGION")); }

    /**
     * The client of a type, built on first use by {@code builder} (e.g. {@code Ec2Client::builder}).
     */
    @SuppressWarnings("unchecked")
    public <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C get(
            Class<C> type, Supplier<B> builder) {
        return (C) clients.computeIfAbsent(type, t -> configure(builder.get()).build());
    }

    private <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> B configure(B b) {
        b.region(region()).httpClient(http).credentialsProvider(credentials());
        String endpoint = env.optional("AWS_ENDPOINT_URL", null);
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
            if (b instanceof software.amazon.awssdk.services.s3.S3ClientBuilder s3) s3.forcePathStyle(true);
        }
        return b;
    }

    private AwsCredentialsProvider credentials() {
        String key = env.optional("AWS_ACCESS_KEY_ID", null);
        String secret = env.optional("AWS_SECRET_ACCESS_KEY", null);
        if (key != null && secret != null && env.local()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
