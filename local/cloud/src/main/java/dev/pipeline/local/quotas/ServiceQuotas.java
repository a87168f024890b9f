package dev.pipeline.local.quotas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.CallerScope;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service Quotas for the quotas the preflight reads, which moto 5.2.1 does not have (its Service Quotas knows only
 * the {@code vpc} service and answers {@code NoSuchResourceException} for the rest).
 * <ul>
 *   <li>GetAWSDefaultServiceQuota answers AWS's documented defaults: L-1216C47A (Running On-Demand Standard
 *       instances) 5 vCPUs, as {@code aws service-quotas get-aws-default-service-quota --service-code ec2
 *       --quota-code L-1216C47A} shows in the Service Quotas CLI examples; L-53DA6B97 (Application Load Balancers
 *       per Region) 50 (Elastic Load Balancing, "Quotas for your Application Load Balancers").</li>
 *   <li>GetServiceQuota answers the account's applied value: the default, until an increase was requested.</li>
 *   <li>RequestServiceQuotaIncrease is approved at once (AWS: a request that is reviewed, often for hours or days);
 *       the local account then has the value asked for, in that region.</li>
 * </ul>
 * Other services and codes go to moto. State: applied values per account, region and code, forgotten on reset.
 */
public final class ServiceQuotas implements Interceptor {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One quota AWS documents, with its default. */
    record Known(String serviceCode, String serviceName, String quotaCode, String quotaName, double value) {}

    static final Map<String, Known> KNOWN = Map.of(
            "ec2/L-1216C47A", new Known("ec2", "Amazon Elastic Compute Cloud (Amazon EC2)", "L-1216C47A",
                    "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", 5.0),
            "elasticloadbalancing/L-53DA6B97", new Known("elasticloadbalancing", "Elastic Load Balancing (ELB)", "L-53DA6B97",
                    "Application Load Balancers per Region", 50.0));

    private record Key(String account, String region, String code) {}

    private final Map<Key, Double> applied = new ConcurrentHashMap<>();
    private final CallerScope.Resolver scopes = new CallerScope.Resolver();

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"servicequotas".equals(request.service())) return null;
        String op = request.operation();
        if (!op.equals("GetAWSDefaultServiceQuota") && !op.equals("GetServiceQuota") && !op.equals("RequestServiceQuotaIncrease")) {
            return null;
        }
        JsonNode in = request.json();
        String id = in.path("ServiceCode").asText() + "/" + in.path("QuotaCode").asText();
        Known known = KNOWN.get(id);
        if (known == null) return null; // moto's own (vpc), or its NoSuchResourceException
        CallerScope scope = scopes.of(request, moto);
        Key key = new Key(scope.account(), scope.region(), id);
        return switch (op) {
            case "GetAWSDefaultServiceQuota" -> answer(quota(known, known.value(), scope));
            case "GetServiceQuota" -> answer(quota(known, applied.getOrDefault(key, known.value()), scope));
            default -> {
                double desired = in.path("DesiredValue").asDouble(Double.NaN);
                double current = applied.getOrDefault(key, known.value());
                if (Double.isNaN(desired) || desired <= current) {
                    // AWS: "IllegalArgumentException" for a desired value not above the current one
                    yield AwsErrors.error(request, 400, "IllegalArgumentException",
                            "DesiredValue must be greater than the current quota value " + current);
                }
                applied.put(key, desired);
                ObjectNode out = JSON.createObjectNode();
                out.putObject("RequestedQuota").put("Id", UUID.randomUUID().toString()).put("ServiceCode", known.serviceCode())
                        .put("ServiceName", known.serviceName()).put("QuotaCode", known.quotaCode())
                        .put("QuotaName", known.quotaName()).put("DesiredValue", desired).put("Status", "APPROVED")
                        .put("GlobalQuota", false).put("Unit", "None");
                yield GatewayResponse.of(200, "application/x-amz-json-1.1", JSON.writeValueAsString(out));
            }
        };
    }

    private static ObjectNode quota(Known k, double value, CallerScope scope) {
        ObjectNode q = JSON.createObjectNode();
        q.put("ServiceCode", k.serviceCode()).put("ServiceName", k.serviceName())
                .put("QuotaArn", "arn:aws:servicequotas:" + scope.region() + ":" + scope.account() + ":" + k.serviceCode() + "/" + k.quotaCode())
                .put("QuotaCode", k.quotaCode()).put("QuotaName", k.quotaName()).put("Value", value).put("Unit", "None")
                .put("Adjustable", true).put("GlobalQuota", false);
        return q;
    }

    private static GatewayResponse answer(ObjectNode quota) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.set("Quota", quota);
        return GatewayResponse.of(200, "application/x-amz-json-1.1", JSON.writeValueAsString(out));
    }

    @Override
    public void reset() {
        applied.clear();
        scopes.clear();
    }
}
