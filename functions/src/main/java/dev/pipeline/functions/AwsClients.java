package dev.pipeline.functions;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * SDK clients for one Lambda container, built once and reused: the light url-connection HTTP client,
 * the region from AWS_REGION, and, when AWS_ENDPOINT_URL is set (the local cloud), that endpoint with
 * path-style S3. Credentials come from the default chain on AWS, or from the environment locally.
 *
 * <p>It is also the functions' one SnapStart priming hook (a CRaC {@link Resource}, as Powertools for AWS Lambda
 * does it): before Lambda snapshots a function version, {@link #beforeCheckpoint} makes one cheap read call with
 * every client built so far, so the snapshot holds the SDK's loaded and initialised classes (marshalling, signing,
 * endpoint rules, retries, the HTTP client) instead of the first invocation paying for them. Priming calls ask
 * the server to close their connection ({@code Connection: close}), so the snapshot holds no open socket that a
 * restored copy would share or find dead: every restored environment opens its own connections on its first call.
 * Nothing unique is made here (the SDK's invocation ids come from {@code UUID.randomUUID()}, drawn per call), so
 * there is no entropy to re-make after restore. A priming call that fails (say the function's role may not make
 * it) still warmed the path up to the answer, and is ignored: priming must never fail a snapshot.
 */
public final class AwsClients implements Resource {
    /** One cheap read per client type: any answer, error or not, goes through the whole SDK path. */
    private static final Map<Class<?>, Consumer<SdkClient>> PRIMERS = Map.ofEntries(
            primer(Ec2Client.class, c -> {
                // EC2 answers are the largest models: the instance, image and launch template reads the stages make
                tolerant(() -> c.describeInstances(r -> r.overrideConfiguration(AwsClients::closing)
                        .filters(f -> f.name("tag:pipeline:priming").values("none"))));
                tolerant(() -> c.describeImages(r -> r.overrideConfiguration(AwsClients::closing).owners("self")
                        .filters(f -> f.name("tag:pipeline:priming").values("none"))));
                tolerant(() -> c.describeLaunchTemplates(r -> r.overrideConfiguration(AwsClients::closing)
                        .filters(f -> f.name("tag:pipeline:priming").values("none"))));
            }),
            primer(AutoScalingClient.class, c -> c.describeAutoScalingGroups(r -> r.overrideConfiguration(AwsClients::closing)
                    .autoScalingGroupNames("pipeline-priming"))),
            primer(ElasticLoadBalancingV2Client.class, c -> c.describeTargetGroups(r -> r.overrideConfiguration(AwsClients::closing)
                    .names("pipeline-priming"))),
            primer(Route53Client.class, c -> c.listHostedZones(r -> r.overrideConfiguration(AwsClients::closing).maxItems("1"))),
            primer(S3Client.class, c -> c.headBucket(r -> r.overrideConfiguration(AwsClients::closing).bucket("pipeline-priming"))),
            primer(SsmClient.class, c -> c.getParameter(r -> r.overrideConfiguration(AwsClients::closing).name("/pipeline/priming"))),
            primer(SnsClient.class, c -> c.listTopics(r -> r.overrideConfiguration(AwsClients::closing))),
            primer(SfnClient.class, c -> c.listStateMachines(r -> r.overrideConfiguration(AwsClients::closing).maxResults(1))),
            primer(DynamoDbClient.class, c -> c.describeTable(r -> r.overrideConfiguration(AwsClients::closing).tableName("pipeline-priming"))),
            primer(CloudWatchClient.class, c -> c.describeAlarms(r -> r.overrideConfiguration(AwsClients::closing).maxRecords(1))),
            primer(CodeDeployClient.class, c -> c.getApplication(r -> r.overrideConfiguration(AwsClients::closing)
                    .applicationName("pipeline-priming"))));

    private final Env env;
    private final SdkHttpClient http;
    private final Map<Class<?>, SdkClient> clients = new ConcurrentHashMap<>();
    /**
     * Added to every client: CRaC holds registered resources weakly, so each client holds this object and it lives
     * exactly as long as the handler that uses the clients.
     */
    private final ExecutionInterceptor keepsPrimingRegistered = new ExecutionInterceptor() {
        @SuppressWarnings("unused") private final AwsClients owner = AwsClients.this;
    };

    public AwsClients(Env env) {
        this.env = env;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
        Core.getGlobalContext().register(this);
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

    /** Before a SnapStart snapshot: one read call per client (see the class comment). */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    /**
     * After restore there is nothing to re-make: the snapshot holds no open connection (priming closed its own) and
     * no unique value.
     */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // see the Javadoc
    }

    /** Makes the priming calls now; returns the client types primed (for the cold-start benchmark and tests). */
    public List<String> prime() {
        for (Map.Entry<Class<?>, SdkClient> e : clients.entrySet()) {
            Consumer<SdkClient> primer = PRIMERS.get(e.getKey());
            if (primer == null) continue;
            tolerant(() -> primer.accept(e.getValue()));
        }
        return clients.keySet().stream().map(Class::getSimpleName).sorted().toList();
    }

    /** Runs one priming call; an error answer (not found, access denied) took the same path as a success. */
    private static void tolerant(Runnable call) {
        try {
            call.run();
        } catch (SdkException expected) {
            // see the Javadoc: priming needs the path, not the answer
        }
    }

    private static void closing(AwsRequestOverrideConfiguration.Builder o) {
        o.putHeader("Connection", "close");
    }

    @SuppressWarnings("unchecked")
    private static <C extends SdkClient> Map.Entry<Class<?>, Consumer<SdkClient>> primer(Class<C> type, Consumer<C> call) {
        return Map.entry(type, c -> call.accept((C) c));
    }

    private <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> B configure(B b) {
        b.region(region()).httpClient(http).credentialsProvider(credentials())
                .overrideConfiguration(o -> o.addExecutionInterceptor(keepsPrimingRegistered));
        String endpoint = env.optional("AWS_ENDPOINT_URL", null);
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
            if (b instanceof S3ClientBuilder s3) s3.forcePathStyle(true);
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
