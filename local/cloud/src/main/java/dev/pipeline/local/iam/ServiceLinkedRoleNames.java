package dev.pipeline.local.iam;

import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IAM CreateServiceLinkedRole names the role as AWS does. moto 5.2.1 derives the name from the service principal
 * and gets Elastic Load Balancing's wrong ({@code AWSServiceRoleForelasticloadbalancing}); AWS names it
 * {@code AWSServiceRoleForElasticLoadBalancing} (Elastic Load Balancing User Guide, elb-service-linked-roles.html),
 * so a preflight looking it up by its real name would never find it. For the services in {@link #NAMES} the call
 * becomes moto's CreateRole with AWS's name, path {@code /aws-service-role/<service>/} and trust policy, answered
 * as CreateServiceLinkedRole. A second call for the same service answers InvalidInput, as AWS does ("Service role
 * name ... has been taken in this account"). Other services go to moto unchanged. Stateless.
 */
public final class ServiceLinkedRoleNames implements Interceptor {

    /** Role names AWS documents for the services the pipeline uses. */
    static final Map<String, String> NAMES = Map.of(
            "elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing",
            "autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling");

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (!"iam".equals(request.service()) || !"CreateServiceLinkedRole".equals(request.operation())) return null;
        Map<String, String> in = request.formParams();
        String service = in.get("AWSServiceName");
        String name = service == null ? null : NAMES.get(service);
        if (name == null) return null;
        if (in.get("CustomSuffix") != null && !in.get("CustomSuffix").isEmpty()) name = name + "_" + in.get("CustomSuffix");
        Map<String, String> create = new LinkedHashMap<>();
        create.put("Action", "CreateRole");
        create.put("Version", in.getOrDefault("Version", "2010-05-08"));
        create.put("RoleName", name);
        create.put("Path", "/aws-service-role/" + service + "/");
        create.put("AssumeRolePolicyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"" + service + "\"},\"Action\":\"sts:AssumeRole\"}]}");
        if (in.get("Description") != null) create.put("Description", in.get("Description"));
        GatewayResponse r = moto.forward(request.withBody(AwsRequest.encodeForm(create).getBytes(StandardCharsets.UTF_8)));
        if (r.status() == 409 || r.bodyText().contains("EntityAlreadyExists")) {
            return AwsErrors.error(request, 400, "InvalidInput", "Service role name " + name + " has been taken in this account, please try a different suffix.");
        }
        if (!r.ok()) return r;
        return r.withBody(r.bodyText().replace("CreateRoleResponse", "CreateServiceLinkedRoleResponse")
                .replace("CreateRoleResult", "CreateServiceLinkedRoleResult"));
    }
}
