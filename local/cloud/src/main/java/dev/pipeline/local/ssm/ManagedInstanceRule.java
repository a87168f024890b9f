package dev.pipeline.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SSM SendCommand reaches only instances whose agent could register with Systems Manager (moto sends to any
 * instance id). On AWS an instance registers only when it runs with an instance profile that lets the agent call
 * Systems Manager (https://docs.aws.amazon.com/systems-manager/latest/userguide/troubleshooting-managed-nodes.html);
 * locally: a running instance with an instance profile. Anything else is refused as SSM refuses an unmanaged
 * instance: HTTP 400 {@code InvalidInstanceId}, "Instances [[i-...]] not in a valid state for account ...". It asks
 * moto's DescribeInstances each time, and the instance model whether its agent has registered yet (the instance
 * booted {@code InstanceModel.SSM_REGISTRATION} ago): until then AWS refuses the same way. Commands by Targets
 * (tags) pass unchanged.
 */
public final class ManagedInstanceRule implements Interceptor {
    private final dev.pipeline.local.instances.InstanceModel instances;

    public ManagedInstanceRule(dev.pipeline.local.instances.InstanceModel instances) {
        this.instances = instances;
    }

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"ssm".equals(request.service()) || !"SendCommand".equals(request.operation())) return null;
        JsonNode ids = request.json().path("InstanceIds");
        List<String> unmanaged = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!managed(request, moto, id.asText()) || !registered(id.asText())) unmanaged.add(id.asText());
        }
        if (unmanaged.isEmpty()) return null;
        String account = request.header("x-moto-account-id") != null ? request.header("x-moto-account-id") : "123456789012";
        return AwsErrors.error(request, 400, "InvalidInstanceId",
                "Instances [[" + String.join(", ", unmanaged) + "]] not in a valid state for account " + account);
    }

    private boolean registered(String instanceId) {
        // an instance the model has not booted yet (just launched) has no agent either
        return instances == null || instances.ssmRegistered(instanceId);
    }

    /** Running, with an instance profile: what lets the SSM agent register. */
    private static boolean managed(AwsRequest caller, MotoForwarder moto, String instanceId) throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", "DescribeInstances");
        form.put("Version", "2016-11-15");
        form.put("InstanceId.1", instanceId);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h : List.of("X-Amz-Date", "X-Amz-Security-Token", "x-moto-account-id", "Host")) {
            if (caller.header(h) != null) headers.put(h, List.of(caller.header(h)));
        }
        // moto picks its backend from the credential scope: ask EC2, not SSM
        String auth = caller.header("Authorization");
        if (auth != null) headers.put("Authorization", List.of(auth.replace("/ssm/aws4_request", "/ec2/aws4_request")));
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        AwsRequest describe = new AwsRequest("POST", "/", null, headers,
                AwsRequest.encodeForm(form).getBytes(StandardCharsets.UTF_8), "ec2", "DescribeInstances", Protocol.EC2);
        GatewayResponse r = moto.forward(describe);
        if (!r.ok()) return false;
        String xml = new String(r.body(), StandardCharsets.UTF_8);
        return xml.contains("<iamInstanceProfile>") && xml.replaceAll("\\s+", "").contains("<instanceState><code>16</code><name>running</name>");
    }
}
