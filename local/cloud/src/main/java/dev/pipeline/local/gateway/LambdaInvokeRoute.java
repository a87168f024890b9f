package dev.pipeline.local.gateway;

import dev.pipeline.local.lambda.LocalLambdaRuntime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lambda's Invoke API served by the in-process runtime, answered as the Lambda service answers it. */
final class LambdaInvokeRoute {
    private LambdaInvokeRoute() {}

    static GatewayResponse invoke(AwsRequest request, LocalLambdaRuntime lambda) {
        String name = RequestClassifier.lambdaFunctionName(request.path());
        if (name == null || !lambda.has(name)) {
            return AwsErrors.error(request, 404, "ResourceNotFoundException",
                    "Function not found: arn:aws:lambda:us-east-1:123456789012:function:" + name);
        }
        String type = request.header("X-Amz-Invocation-Type");
        if ("DryRun".equals(type)) {
            return new GatewayResponse(204, Map.of(), new byte[0]);
        }
        if ("Event".equals(type)) {
            byte[] payload = request.body();
            Thread.ofVirtual().start(() -> lambda.invoke(name, payload));
            return new GatewayResponse(202, Map.of(), new byte[0]);
        }
        LocalLambdaRuntime.Invocation inv = lambda.invoke(name, request.body().length == 0 ? "{}".getBytes() : request.body());
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("X-Amz-Executed-Version", List.of("$LATEST"));
        headers.put("x-amzn-RequestId", List.of(inv.requestId()));
        if (inv.functionError()) headers.put("X-Amz-Function-Error", List.of("Unhandled"));
        return new GatewayResponse(200, headers, inv.payload());
    }
}
