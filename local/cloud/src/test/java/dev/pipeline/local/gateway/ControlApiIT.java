package dev.pipeline.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gateway's own routes: usable over plain HTTP, and bad requests answered as AWS errors, never stack traces. */
@ExtendWith(LocalCloudExtension.class)
class ControlApiIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> call(URI base, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void faultRule_setOverHttp_reachesSdkCalls_andCountersAreReadable(LocalCloud cloud) throws Exception {
        HttpResponse<String> set = call(cloud.endpoint(), "POST", "/_local/faults",
                "{\"service\":\"ec2\",\"operation\":\"DescribeVpcs\",\"kind\":\"error\",\"code\":\"InvalidParameterValue\",\"status\":400,\"count\":1}");
        assertThat(set.statusCode()).isEqualTo(200);

        try (Ec2Client ec2 = cloud.newClientWithoutRetries(Ec2Client.class)) {
            assertThatThrownBy(ec2::describeVpcs).isInstanceOf(AwsServiceException.class)
                    .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
            assertThat(ec2.describeVpcs().vpcs()).as("count:1 faults only the first call").isNotEmpty();
        }

        JsonNode counters = JSON.readTree(call(cloud.endpoint(), "GET", "/_local/counters", null).body());
        assertThat(counters.path("ec2:DescribeVpcs").asInt()).isEqualTo(2);
        assertThat(call(cloud.endpoint(), "DELETE", "/_local/faults", null).statusCode()).isEqualTo(200);
        assertThat(cloud.gateway().faults().rules()).isEmpty();
    }

    @Test
    void malformedControlRequests_getAwsShapedErrors(LocalCloud cloud) throws Exception {
        HttpResponse<String> badJson = call(cloud.endpoint(), "POST", "/_local/faults", "{not json");
        HttpResponse<String> noKind = call(cloud.endpoint(), "POST", "/_local/faults", "{\"service\":\"ec2\"}");
        HttpResponse<String> unknownField = call(cloud.endpoint(), "POST", "/_local/faults", "{\"kind\":\"throttle\",\"colour\":\"red\"}");
        HttpResponse<String> badProbability = call(cloud.endpoint(), "POST", "/_local/faults", "{\"kind\":\"throttle\",\"probability\":2}");
        HttpResponse<String> unknownRoute = call(cloud.endpoint(), "GET", "/_local/nope", null);
        HttpResponse<String> wrongMethod = call(cloud.endpoint(), "PUT", "/_local/counters", null);

        for (HttpResponse<String> r : new HttpResponse[]{badJson, noKind, unknownField, badProbability}) {
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("__type").asText()).isEqualTo("ValidationException");
            assertThat(body.path("message").asText()).isNotBlank().doesNotContain("\tat ");
        }
        assertThat(JSON.readTree(noKind.body()).path("message").asText()).contains("needs a kind");
        assertThat(JSON.readTree(badProbability.body()).path("message").asText()).contains("probability");
        assertThat(unknownRoute.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknownRoute.body()).path("message").asText()).contains("/_local/faults");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(cloud.gateway().faults().rules()).as("nothing half-applied").isEmpty();
    }

    @Test
    void unknownAwsOperation_isForwarded_andMotosAnswerReturnedAsIs(LocalCloud cloud) throws Exception {
        String body = "Action=DescribeFrobnicators&Version=2016-11-15";
        HttpRequest.Builder req = HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=x");

        HttpResponse<String> viaGateway = HTTP.send(req.uri(cloud.endpoint()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> direct = HTTP.send(req.uri(cloud.motoEndpoint()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(viaGateway.statusCode()).isEqualTo(direct.statusCode());
        assertThat(viaGateway.body().replaceAll("<RequestID>.*</RequestID>", ""))
                .isEqualTo(direct.body().replaceAll("<RequestID>.*</RequestID>", ""));
        assertThat(cloud.count("ec2", "DescribeFrobnicators")).isEqualTo(1);
    }

    @Test
    void status_describesTheRunningCloud(LocalCloud cloud) throws Exception {
        JsonNode status = JSON.readTree(call(cloud.endpoint(), "GET", "/_local/status", null).body());

        assertThat(status.path("endpoint").asText()).isEqualTo(cloud.endpoint().toString());
        assertThat(status.path("motoAlive").asBoolean()).isTrue();
        assertThat(status.path("motoVersion").asText()).isEqualTo("5.2.1");
    }

    @Test
    void reset_overHttp_forgetsAwsStateAndFaults(LocalCloud cloud, Ec2Client ec2) throws Exception {
        String vpc = ec2.describeVpcs().vpcs().getFirst().vpcId();
        ec2.createSecurityGroup(b -> b.groupName("temp").description("temp").vpcId(vpc));
        cloud.injectFault(FaultRule.latency("s3", "*", 1));

        assertThat(call(cloud.endpoint(), "POST", "/_local/reset", null).statusCode()).isEqualTo(200);

        assertThat(ec2.describeSecurityGroups().securityGroups()).noneMatch(g -> g.groupName().equals("temp"));
        assertThat(cloud.gateway().faults().rules()).isEmpty();
    }
}
