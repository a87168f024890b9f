package dev.pipeline.functions;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

import java.io.IOException;
import java.util.Map;

/**
 * Lets {@link JsonHandler#JSON} read the {@code aws-lambda-java-events} types our handlers take from the JSON AWS
 * sends, as the Lambda Java runtime's own serializer ({@code aws-lambda-java-serialization}, which the runtime uses
 * for a {@code RequestHandler<Event, ...>}) does: the same property names as its mixins (the custom resource's
 * {@code RequestType}, {@code ResponseURL}..., EventBridge's {@code detail-type}) and Joda's {@code DateTime.parse}
 * for an event's {@code time}. Our handlers stay {@code RequestStreamHandler}s (one error translation, SnapStart
 * priming, the local cloud's in-process runtime), so they read the bytes themselves, and this keeps the runtime's
 * 3.7 MB serializer out of the functions jar; {@code SampleEventsTest} checks both read every sample alike.
 */
public final class LambdaEventsModule extends SimpleModule {

    public LambdaEventsModule() {
        super("aws-lambda-java-events");
        setMixInAnnotation(ScheduledEvent.class, ScheduledEventMixin.class);
        setMixInAnnotation(CloudFormationCustomResourceEvent.class, CustomResourceMixin.class);
        addDeserializer(DateTime.class, new JsonDeserializer<>() {
            @Override
            public DateTime deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString();
                return text == null || text.isBlank() ? null : DateTime.parse(text);
            }
        });
        addSerializer(DateTime.class, new JsonSerializer<>() {
            @Override
            public void serialize(DateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.withZone(DateTimeZone.UTC).toString());
            }
        });
    }

    /** EventBridge's envelope: {@code detail-type} (the rest are the getters' own names). */
    abstract static class ScheduledEventMixin {
        @JsonProperty("detail-type") abstract String getDetailType();
        @JsonProperty("detail-type") abstract void setDetailType(String detailType);
    }

    /** CloudFormation's request: capitalised names, {@code ResponseURL}. */
    abstract static class CustomResourceMixin {
        @JsonProperty("RequestType") abstract String getRequestType();
        @JsonProperty("RequestType") abstract void setRequestType(String v);
        @JsonProperty("ServiceToken") abstract String getServiceToken();
        @JsonProperty("ServiceToken") abstract void setServiceToken(String v);
        @JsonProperty("PhysicalResourceId") abstract String getPhysicalResourceId();
        @JsonProperty("PhysicalResourceId") abstract void setPhysicalResourceId(String v);
        @JsonProperty("ResponseURL") abstract String getResponseUrl();
        @JsonProperty("ResponseURL") abstract void setResponseUrl(String v);
        @JsonProperty("StackId") abstract String getStackId();
        @JsonProperty("StackId") abstract void setStackId(String v);
        @JsonProperty("RequestId") abstract String getRequestId();
        @JsonProperty("RequestId") abstract void setRequestId(String v);
        @JsonProperty("LogicalResourceId") abstract String getLogicalResourceId();
        @JsonProperty("LogicalResourceId") abstract void setLogicalResourceId(String v);
        @JsonProperty("ResourceType") abstract String getResourceType();
        @JsonProperty("ResourceType") abstract void setResourceType(String v);
        @JsonProperty("ResourceProperties") abstract Map<String, Object> getResourceProperties();
        @JsonProperty("ResourceProperties") abstract void setResourceProperties(Map<String, Object> v);
        @JsonProperty("OldResourceProperties") abstract Map<String, Object> getOldResourceProperties();
        @JsonProperty("OldResourceProperties") abstract void setOldResourceProperties(Map<String, Object> v);
    }
}
