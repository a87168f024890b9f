package dev.pipeline.deploy.prune;

import dev.pipeline.provision.image.ImageGateway;

import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.deploy.release.ReleaseStore;
import dev.pipeline.deploy.rollout.RefreshGateway;
import dev.pipeline.deploy.rollout.ReleaseTemplateGateway;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** Lambda entry of PruneImages ({@code $.prune}). Env: RELEASES_TABLE, KEEP_RELEASES (default 3). */
public final class PruneImagesHandler extends JsonHandler<PruneImagesInput, PruneImagesOutput> {
    private final PruneImagesService service;

    public PruneImagesHandler() { this(System.getenv()); }

    public PruneImagesHandler(Map<String, String> env) { this(wire(new Env(env))); }

    public PruneImagesHandler(PruneImagesService service) {
        super(PruneImagesInput.class);
        this.service = service;
    }

    private static PruneImagesService wire(Env env) {
        AwsClients aws = new AwsClients(env);
        Ec2Client ec2 = aws.get(Ec2Client.class, Ec2Client::builder);
        return new PruneImagesService(new ImageGateway(ec2), new ReleaseTemplateGateway(ec2),
                new RefreshGateway(aws.get(AutoScalingClient.class, AutoScalingClient::builder)),
                new ReleaseStore(aws.get(DynamoDbClient.class, DynamoDbClient::builder), env.require("RELEASES_TABLE")),
                Integer.parseInt(env.optional("KEEP_RELEASES", "3")));
    }

    @Override
    protected PruneImagesOutput handle(PruneImagesInput input, Context context) {
        return service.prune(input);
    }
}
