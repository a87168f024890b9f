package dev.pipeline.provision.image;

import dev.pipeline.provision.StageInputs;
import com.amazonaws.services.lambda.runtime.Context;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Map;

/** ASL state TeardownImages: deregisters the environment's AMIs and deletes their snapshots. NotFound is done. */
public final class TeardownImagesHandler extends JsonHandler<TeardownImagesInput, TeardownImagesOutput> {
    private final TeardownImagesService service;

    public TeardownImagesHandler() { this(System.getenv()); }

    public TeardownImagesHandler(Map<String, String> env) {
        this(service(new Env(env)));
    }

    public TeardownImagesHandler(TeardownImagesService service) {
        super(TeardownImagesInput.class);
        this.service = service;
    }

    private static TeardownImagesService service(Env env) {
        env.require("AWS_REGION");
        return new TeardownImagesService(new ImageGateway(new AwsClients(env).get(Ec2Client.class, Ec2Client::builder)));
    }

    @Override
    protected TeardownImagesOutput handle(TeardownImagesInput input, Context context) {
        return service.teardown(StageInputs.spec(input.spec()), StageInputs.run(input.run()));
    }
}
