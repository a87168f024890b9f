package dev.pipeline.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * The shape of every handler: JSON in → input record → one service call → output record → JSON out.
 * The input is the whole workflow state, so unknown fields are ignored; the output is only what the stage
 * produced (the ASL merges it under {@code ResultPath: "$.<stage>"}).
 *
 * <p>A handler AWS invokes with an event (the custom resource, an EventBridge rule or schedule) takes the
 * {@code aws-lambda-java-events} type of it, which {@link LambdaEventsModule} reads as the Lambda runtime would.
 *
 * <p>AWS errors that outlived the SDK's retries become {@link RetryableException} when a later attempt may
 * work (throttling, 5xx, client-side I/O) and {@link StageFailedException} otherwise, so the ASL's Retry and
 * Catch see exactly two error names.
 *
 * <p>Each handler is also a SnapStart priming hook for its JSON mapping: before the snapshot it builds Jackson's
 * reader of its input type and writer of its output type (the SDK clients are primed by {@link AwsClients}).
 * The Lambda runtime holds the handler, so the registration lives as long as the container.
 */
public abstract class JsonHandler<I, O> implements RequestStreamHandler, Resource {
    public static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            .addModule(new LambdaEventsModule())
            .build();

    private final Class<I> inputType;

    protected JsonHandler(Class<I> inputType) {
        this.inputType = inputType;
        Core.getGlobalContext().register(this);
    }

    /** Before a SnapStart snapshot: Jackson introspects the input and output records now, not on the first call. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        primeJson();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing unique or connected was made before the snapshot
    }

    /** Builds (and caches in {@link #JSON}) the deserializer of the input type and the serializer of the output type. */
    public void primeJson() {
        try {
            JSON.readerFor(inputType).readValue("{}");
        } catch (IOException | RuntimeException expected) {
            // an empty input is invalid for most stages; the deserializer was built all the same
        }
        if (outputType() instanceof Class<?> out) {
            try {
                JSON.writerFor(out);
                JSON.getSerializerProviderInstance().findTypedValueSerializer(out, true, null);
            } catch (IOException | RuntimeException expected) {
                // nothing to gain from failing a snapshot over a serializer
            }
        }
    }

    /** O as the concrete handler declares it ({@code extends JsonHandler<In, Out>}). */
    private Type outputType() {
        for (Class<?> c = getClass(); c != null; c = c.getSuperclass()) {
            if (c.getGenericSuperclass() instanceof ParameterizedType p && p.getRawType() == JsonHandler.class) {
                return p.getActualTypeArguments()[1];
            }
        }
        return null;
    }

    /** The stage's work. */
    protected abstract O handle(I input, Context context);

    @Override
    public final void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        I input;
        try {
            input = JSON.readValue(in, inputType);
        } catch (IOException e) {
            throw new StageFailedException("input is not a valid " + inputType.getSimpleName() + ": " + e.getMessage(), e);
        }
        O output;
        try {
            output = handle(input, context);
        } catch (AwsServiceException e) {
            throw translate(e);
        } catch (SdkClientException e) {
            throw new RetryableException("AWS call failed before an answer: " + e.getMessage(), e);
        }
        JSON.writeValue(out, output);
    }

    /** Throttling and server errors may pass; everything else will not fix itself. */
    public static RuntimeException translate(AwsServiceException e) {
        var d = e.awsErrorDetails();
        String what = d == null || d.errorCode() == null
                ? e.getMessage()
                : d.serviceName() + " " + d.errorCode() + ": " + (d.errorMessage() == null ? "(no message)" : d.errorMessage());
        if (e.isThrottlingException() || e.statusCode() >= 500) {
            return new RetryableException(what, e);
        }
        return new StageFailedException(what, e);
    }
}
