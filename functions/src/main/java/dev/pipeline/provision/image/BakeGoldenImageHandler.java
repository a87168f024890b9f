package dev.pipeline.provision.image;

import dev.pipeline.provision.StageInputs;
import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** ASL state BakeGoldenImage: the golden AMI from app01, at {@code $.goldenImage}. Idempotent by image tag and name. */
public final class BakeGoldenImageHandler extends JsonHandler<BakeGoldenImageInput, BakeGoldenImageOutput> {
    private final BakeGoldenImageService service;

    public BakeGoldenImageHandler() { this(System.getenv()); }

    public BakeGoldenImageHandler(Map<String, String> env) {
        this(service(new Env(env)));
    }

    public BakeGoldenImageHandler(BakeGoldenImageService service) {
        super(BakeGoldenImageInput.class);
        this.service = service;
    }

    private static BakeGoldenImageService service(Env env) {
        env.require("AWS_REGION");
        return new BakeGoldenImageService(new ImageGateway(new AwsClients(env).get(Ec2Client.class, Ec2Client::builder)));
    }

    @Override
    protected BakeGoldenImageOutput handle(BakeGoldenImageInput input, Context context) {
        return service.bake(StageInputs.spec(input.spec()), StageInputs.run(input.run()), input.appServer());
    }
}
