package dev.pipeline.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;

/**
 * CreateStateMachine and StartExecution refuse names Step Functions refuses (moto takes any). Stateless.
 *
 * <p>AWS (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StateMachineListItem.html, and the
 * same rule for execution names in StartExecution): 1 to 80 characters, none of white space, {@code < > { } [ ]},
 * {@code ? *}, {@code " # % \ ^ | ~ ` $ & , ; : /} or control characters; refused with HTTP 400 {@code InvalidName}.
 */
public final class NameRule implements Interceptor {
    static final int NAME_MAX = 80;
    private static final String FORBIDDEN = "<>{}[]?*\"#%\\^|~`$&,;:/";

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"states".equals(request.service()) || request.protocol() != Protocol.JSON) return null;
        String field = switch (request.operation()) {
            case "CreateStateMachine" -> "name";
            case "StartExecution" -> "name";
            default -> null;
        };
        if (field == null) return null;
        JsonNode body;
        try {
            body = request.json();
        } catch (java.io.IOException e) {
            return null;
        }
        JsonNode name = body.path(field);
        if (!name.isTextual()) return null; // absent: StartExecution gets a UUID (ExecutionNameInterceptor); moto answers the rest
        String problem = problem(name.asText());
        if (problem == null) return null;
        return AwsErrors.error(request, 400, "InvalidName", "Invalid Name: '" + name.asText() + "' (" + problem + ")");
    }

    static String problem(String name) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > NAME_MAX) return "must be 1 to " + NAME_MAX + " characters, is " + length;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || FORBIDDEN.indexOf(c) >= 0) {
                return "must not contain '" + (Character.isISOControl(c) ? String.format("U+%04X", (int) c) : String.valueOf(c)) + "'";
            }
        }
        return null;
    }
}
