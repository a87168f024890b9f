package dev.pipeline.local.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestClassifierTest {

    private static Map<String, List<String>> signed(String service) {
        return Map.of("Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"), "Host", List.of("127.0.0.1:4566"));
    }

    @Test
    void queryProtocol_takesServiceFromTheCredentialScope_andOperationFromAction() {
        var headers = new java.util.HashMap<>(signed("autoscaling"));
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        AwsRequest r = RequestClassifier.classify("POST", "/", null, headers,
                "Action=StartInstanceRefresh&Version=2011-01-01&AutoScalingGroupName=web".getBytes(StandardCharsets.UTF_8));

        assertThat(r.key()).isEqualTo("autoscaling:StartInstanceRefresh");
        assertThat(r.protocol()).isEqualTo(Protocol.QUERY);
        assertThat(r.formParams()).containsEntry("AutoScalingGroupName", "web");
    }

    @Test
    void ec2_isItsOwnProtocol_forItsErrorShape() {
        var headers = new java.util.HashMap<>(signed("ec2"));
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded"));
        AwsRequest r = RequestClassifier.classify("POST", "/", null, headers, "Action=RunInstances".getBytes());

        assertThat(r.protocol()).isEqualTo(Protocol.EC2);
        assertThat(r.operation()).isEqualTo("RunInstances");
    }

    @Test
    void jsonProtocol_takesOperationFromTheTarget() {
        var headers = new java.util.HashMap<>(signed("states"));
        headers.put("X-Amz-Target", List.of("AWSStepFunctions.StartExecution"));
        AwsRequest r = RequestClassifier.classify("POST", "/", null, headers, "{}".getBytes());

        assertThat(r.key()).isEqualTo("states:StartExecution");
        assertThat(r.protocol()).isEqualTo(Protocol.JSON);
    }

    @ParameterizedTest
    @CsvSource({
            "PUT,/bucket/releases/app.war,,PutObject",
            "GET,/bucket/releases/app.war,,GetObject",
            "HEAD,/bucket/releases/app.war,,HeadObject",
            "DELETE,/bucket/releases/app.war,,DeleteObject",
            "PUT,/bucket,,CreateBucket",
            "PUT,/bucket,versioning=,PutBucketVersioning",
            "GET,/bucket,versioning=,GetBucketVersioning",
            "PUT,/bucket,notification=,PutBucketNotificationConfiguration",
            "GET,/bucket,list-type=2&prefix=releases/,ListObjectsV2",
            "GET,/bucket,versions=,ListObjectVersions",
            "POST,/bucket/big.war,uploads=,CreateMultipartUpload",
            "PUT,/bucket/big.war,partNumber=1&uploadId=x,UploadPart",
            "POST,/bucket/big.war,uploadId=x,CompleteMultipartUpload",
            "POST,/bucket,delete=,DeleteObjects",
            "GET,/,,ListBuckets",
    })
    void s3Operations_areNamedFromMethodPathAndSubresource(String method, String path, String query, String op) {
        AwsRequest r = RequestClassifier.classify(method, path, query, signed("s3"), new byte[0]);

        assertThat(r.key()).isEqualTo("s3:" + op);
    }

    @ParameterizedTest
    @CsvSource({
            "POST,/2013-04-01/hostedzone,CreateHostedZone",
            "GET,/2013-04-01/hostedzone,ListHostedZones",
            "GET,/2013-04-01/hostedzone/Z123,GetHostedZone",
            "DELETE,/2013-04-01/hostedzone/Z123,DeleteHostedZone",
            "POST,/2013-04-01/hostedzone/Z123/rrset,ChangeResourceRecordSets",
            "GET,/2013-04-01/hostedzone/Z123/rrset,ListResourceRecordSets",
            "GET,/2013-04-01/hostedzonesbyvpc,ListHostedZonesByVPC",
            "GET,/2013-04-01/change/C1,GetChange",
    })
    void route53Operations_areNamedFromThePath(String method, String path, String op) {
        assertThat(RequestClassifier.classify(method, path, null, signed("route53"), new byte[0]).key())
                .isEqualTo("route53:" + op);
    }

    @ParameterizedTest
    @CsvSource({
            "/2015-03-31/functions/ProvisionNetwork/invocations,ProvisionNetwork",
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3AProvisionNetwork%3Alive/invocations,ProvisionNetwork",
            "/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:ProvisionNetwork/invocations,ProvisionNetwork",
            "/2015-03-31/functions/123456789012:function:ProvisionNetwork/invocations,ProvisionNetwork",
            "/2015-03-31/functions/ProvisionNetwork:live/invocations,ProvisionNetwork",
    })
    void lambdaInvoke_acceptsNamesArnsAndQualifiers(String path, String name) {
        assertThat(RequestClassifier.lambdaFunctionName(path)).isEqualTo(name);
        assertThat(RequestClassifier.classify("POST", path, null, signed("lambda"), new byte[0]).key()).isEqualTo("lambda:Invoke");
    }

    @Test
    void controlRoutes_areNotAwsCalls() {
        assertThat(RequestClassifier.classify("GET", "/_local/counters", null, Map.of(), new byte[0]).protocol())
                .isEqualTo(Protocol.NONE);
    }
}
