package dev.pipeline.local.events;

import dev.pipeline.local.LocalCloud;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/**
 * SDK clients that talk to moto directly, not through the gateway: the relay's own calls are no user's
 * calls, so they must not show in the gateway's counters nor be hit by injected faults.
 */
record MotoClients(SqsClient sqs, SfnClient sfn, EventBridgeClient events, SdkHttpClient http) implements AutoCloseable {

    static MotoClients create(URI moto) {
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalCloud.ACCESS_KEY, LocalCloud.SECRET_KEY));
        Region region = Region.of(LocalCloud.REGION);
        return new MotoClients(
                SqsClient.builder().endpointOverride(moto).region(region).credentialsProvider(creds).httpClient(http).build(),
                SfnClient.builder().endpointOverride(moto).region(region).credentialsProvider(creds).httpClient(http).build(),
                EventBridgeClient.builder().endpointOverride(moto).region(region).credentialsProvider(creds).httpClient(http).build(),
                http);
    }

    @Override
    public void close() {
        sqs.close();
        sfn.close();
        events.close();
        http.close();
    }
}
