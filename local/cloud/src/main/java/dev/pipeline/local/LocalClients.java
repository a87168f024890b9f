package dev.pipeline.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * SDK v2 clients of any type for a local cloud at an endpoint (in this JVM or another process): region, static
 * credentials, url-connection HTTP client, path-style S3 (bucket.127.0.0.1 does not resolve).
 */
public final class LocalClients {
    private LocalClients() {}

    public static <T extends SdkClient> T create(Class<T> type, URI endpoint) {
        return create(type, endpoint, o -> {});
    }

    public static <T extends SdkClient> T create(Class<T> type, URI endpoint, Consumer<ClientOverrideConfiguration.Builder> override) {
        try {
            AwsClientBuilder<?, ?> builder = (AwsClientBuilder<?, ?>) type.getMethod("builder").invoke(null);
            builder.endpointOverride(endpoint)
                    .region(Region.of(LocalCloud.REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(LocalCloud.ACCESS_KEY, LocalCloud.SECRET_KEY)));
            if (builder instanceof AwsSyncClientBuilder<?, ?> sync) {
                sync.httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofMinutes(2)));
            }
            Method pathStyle = publicMethod(builder.getClass(), "forcePathStyle", Boolean.class);
            if (pathStyle != null) pathStyle.invoke(builder, Boolean.TRUE);
            builder.overrideConfiguration(override);
            @SuppressWarnings("unchecked")
            T client = (T) builder.build();
            return client;
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("not an SDK v2 client type: " + type.getName(), e);
        }
    }

    /** The method as a public interface declares it (the builders' classes are package-private). */
    private static Method publicMethod(Class<?> c, String name, Class<?>... params) {
        for (Class<?> i : c.getInterfaces()) {
            try {
                if (Modifier.isPublic(i.getModifiers())) return i.getMethod(name, params);
            } catch (NoSuchMethodException e) {
                // look further
            }
            Method m = publicMethod(i, name, params);
            if (m != null) return m;
        }
        return c.getSuperclass() == null ? null : publicMethod(c.getSuperclass(), name, params);
    }
}
