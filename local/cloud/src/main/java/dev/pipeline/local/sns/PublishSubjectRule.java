package dev.pipeline.local.sns;

import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;

/**
 * SNS Publish refuses a Subject SNS would refuse (moto accepts any). Stateless.
 *
 * <p>AWS (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): "Subjects must be UTF-8 text with no line
 * breaks or control characters, and less than 100 characters long." SNS answers HTTP 400 {@code InvalidParameter},
 * "Invalid parameter: Subject" (the wording users quote, e.g. getmoto/moto#1503). Users report that AWS in practice
 * accepts exactly 100; we hold to the documented limit, so code that passes here passes there. Characters are
 * counted as Unicode code points.
 */
public final class PublishSubjectRule implements Interceptor {
    public static final int SUBJECT_LIMIT = 100;

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"sns".equals(request.service()) || !"Publish".equals(request.operation())) return null;
        String subject = request.protocol() == Protocol.QUERY
                ? request.formParams().get("Subject")
                : request.json().path("Subject").isTextual() ? request.json().path("Subject").asText() : null;
        if (subject == null || acceptable(subject)) return null;
        return AwsErrors.error(request, 400, "InvalidParameter", "Invalid parameter: Subject");
    }

    /** What SNS accepts as a Subject: non-empty, fewer than 100 code points, no line breaks or control characters. */
    public static boolean acceptable(String subject) {
        return !subject.isEmpty()
                && subject.codePointCount(0, subject.length()) < SUBJECT_LIMIT
                && subject.codePoints().noneMatch(Character::isISOControl);
    }
}
