package dev.pipeline.provision.preflight;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.spec.ValidateSpecHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The preflight of ValidateSpec, against local accounts set up to fail one check each (the landing zone passes
 * them all): the provisioning run then fails at its first stage, naming what to change, with nothing created.
 */
@ExtendWith(LocalCloudExtension.class)
class PreflightIT {

    @Test
    void readyAccount_takesTheExample(LocalCloud cloud) {
        LandingZone zone = LandingZone.create(cloud);

        StageHarness.invoke(handler(zone, cloud), StageHarness.state(zone.spec()));
    }

    @Test
    void dnsHostnamesOff_isReportedWithTheCommandThatTurnsThemOn(LocalCloud cloud, Ec2Client ec2, SsmClient ssm) {
        LandingZone zone = LandingZone.create(cloud);
        ec2.modifyVpcAttribute(b -> b.vpcId(zone.vpcId()).enableDnsHostnames(v -> v.value(false)));

        StageFailedException e = fails(zone, cloud, zone.spec());

        assertThat(e).hasMessageContaining("network.vpcId: VPC " + zone.vpcId() + " has enableDnsHostnames off")
                .hasMessageContaining("--enable-dns-hostnames");
        assertThat(e.getMessage()).doesNotContain("enableDnsSupport off");
        assertNothingCreated(ec2, ssm, zone);
    }

    @Test
    void dnsSupportOff_isReported(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        ec2.modifyVpcAttribute(b -> b.vpcId(zone.vpcId()).enableDnsHostnames(v -> v.value(false)));
        ec2.modifyVpcAttribute(b -> b.vpcId(zone.vpcId()).enableDnsSupport(v -> v.value(false)));

        StageFailedException e = fails(zone, cloud, zone.spec());

        assertThat(e).hasMessageContaining("has enableDnsSupport off").hasMessageContaining("--enable-dns-support");
    }

    @Test
    void publicSubnetWithoutARouteToTheInternetGateway_isReportedAtItsPath(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        isolate(ec2, zone, zone.publicSubnets().get(1));

        StageFailedException e = fails(zone, cloud, zone.spec());

        assertThat(e).hasMessageContaining("network.publicSubnets[1]: subnet " + zone.publicSubnets().get(1)
                + " has no route to an internet gateway");
        assertThat(e.getMessage()).doesNotContain("publicSubnets[0]");
    }

    @Test
    void appSubnetWithNoWayOut_isReported_namingTheThreeWaysIn(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        isolate(ec2, zone, zone.appSubnets().get(1));

        StageFailedException e = fails(zone, cloud, zone.spec());

        assertThat(e).hasMessageContaining("network.appSubnets[1]: instances in subnet " + zone.appSubnets().get(1)
                        + " cannot reach S3 and Systems Manager")
                .hasMessageContaining("NAT gateway").hasMessageContaining("public IPs on launch").hasMessageContaining("VPC endpoints");
    }

    @Test
    void appSubnetWithEndpoints_isEnoughForTheApp_butNotForRmq01sPackages(LocalCloud cloud, Ec2Client ec2) {
        // given both app subnets without a NAT route, but with the S3 gateway and SSM interface endpoints
        LandingZone zone = LandingZone.create(cloud);
        String table = isolate(ec2, zone, zone.appSubnets().get(0));
        ec2.associateRouteTable(b -> b.routeTableId(table).subnetId(zone.appSubnets().get(1)));
        ec2.createVpcEndpoint(b -> b.vpcId(zone.vpcId()).serviceName("com.amazonaws.us-east-1.s3")
                .vpcEndpointType(VpcEndpointType.GATEWAY).routeTableIds(table));
        for (String svc : List.of("ssm", "ssmmessages", "ec2messages")) {
            ec2.createVpcEndpoint(b -> b.vpcId(zone.vpcId()).serviceName("com.amazonaws.us-east-1." + svc)
                    .vpcEndpointType(VpcEndpointType.INTERFACE).subnetIds(zone.appSubnets()).privateDnsEnabled(true));
        }

        StageFailedException e = fails(zone, cloud, zone.spec());

        // then only rmq01's subnet (the third backend goes to appSubnets[2 % 2]) is refused, for its packages
        assertThat(e).hasMessageContaining("network.appSubnets[0]: rmq01 is placed in subnet " + zone.appSubnets().get(0))
                .hasMessageContaining("rabbitmq.com");
        assertThat(e.getMessage()).doesNotContain("appSubnets[1]", "cannot reach S3");
    }

    @Test
    void missingServiceLinkedRoles_areReported_whenThePipelineMayNotCreateThem(LocalCloud cloud, IamClient iam) {
        LandingZone zone = LandingZone.create(cloud);
        Map<String, String> env = new HashMap<>(zone.functionEnvironment(cloud, "ValidateSpecFunction"));
        env.put("CREATABLE_SERVICE_LINKED_ROLES", "");
        iam.createServiceLinkedRole(b -> b.awsServiceName("elasticloadbalancing.amazonaws.com"));

        StageFailedException e = catchThrowableOfType(StageFailedException.class,
                () -> StageHarness.invoke(new ValidateSpecHandler(env), StageHarness.state(zone.spec())));

        assertThat(e).hasMessageContaining("AWSServiceRoleForAutoScaling does not exist and the pipeline may not create it")
                .hasMessageContaining("aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com");
        assertThat(e.getMessage()).doesNotContain("AWSServiceRoleForElasticLoadBalancing");
    }

    @Test
    void missingServiceLinkedRoles_pass_whenTheStackMayCreateThem(LocalCloud cloud, IamClient iam) {
        LandingZone zone = LandingZone.create(cloud); // its environment is template.yaml's: both roles creatable

        StageHarness.invoke(handler(zone, cloud), StageHarness.state(zone.spec()));

        assertThat(iam.listRoles().roles()).noneMatch(r -> r.roleName().startsWith("AWSServiceRole")); // none made
    }

    @Test
    void vcpusBeyondTheQuota_areReported_countingOtherInstances(LocalCloud cloud, Ec2Client ec2) {
        // given the landing zone's 64 vCPUs, 48 of them used by an instance of another project
        LandingZone zone = LandingZone.create(cloud);
        String image = ec2.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
        ec2.runInstances(b -> b.imageId(image).instanceType(InstanceType.M5_12_XLARGE).minCount(1).maxCount(1)
                .subnetId(zone.appSubnets().getFirst()));

        StageFailedException e = fails(zone, cloud, zone.spec());

        assertThat(e).hasMessageContaining("needs up to 18 vCPUs").hasMessageContaining("other instances use 48 of the applied quota of 64")
                .hasMessageContaining("--quota-code L-1216C47A --desired-value 66");
    }

    @Test
    void newAccountsFiveVcpus_areNotEnoughForTheExample(LocalCloud cloud) {
        // given a network set up as required, in an account that never asked for more vCPUs (AWS default: 5)
        LandingZone zone = LandingZone.create(cloud, false);

        StageFailedException e = fails(zone, cloud, zone.spec());

        assertThat(e).hasMessageContaining("other instances use 0 of the applied quota of 5 (Running On-Demand Standard");
    }

    @Test
    void loadBalancerQuotaReached_isReported(LocalCloud cloud, ElasticLoadBalancingV2Client elb) {
        LandingZone zone = LandingZone.create(cloud);
        for (int i = 0; i < 50; i++) {
            int n = i;
            elb.createLoadBalancer(b -> b.name("other-" + n).subnets(zone.publicSubnets()));
        }

        StageFailedException e = fails(zone, cloud, zone.spec());

        assertThat(e).hasMessageContaining("needs 1 Application Load Balancer; the account has 50 of its applied quota of 50")
                .hasMessageContaining("L-53DA6B97");
    }

    @Test
    void imagesThatDoNotResolve_areReportedPerRole(LocalCloud cloud) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        ((ObjectNode) spec.path("instances").path("db")).put("ami", "ami-0123456789abcdef0");
        ((ObjectNode) spec.path("instances").path("mc")).put("ami", "/aws/service/ami-amazon-linux-latest/no-such-image");

        StageFailedException e = fails(zone, cloud, spec);

        assertThat(e).hasMessageContaining("instances.db.ami: the image ami-0123456789abcdef0 does not exist in this region")
                .hasMessageContaining("instances.mc.ami: the SSM parameter /aws/service/ami-amazon-linux-latest/no-such-image does not exist");
    }

    @Test
    void unknownInstanceType_isReported(LocalCloud cloud) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        ((ObjectNode) spec.path("instances").path("rmq")).put("instanceType", "t3.enormous");

        StageFailedException e = fails(zone, cloud, spec);

        assertThat(e).hasMessageContaining("instances.rmq.instanceType: instance type t3.enormous is not offered in this region");
    }

    @Test
    void aBootstrapWarTheSpecNames_isReportedUntilItExists(LocalCloud cloud, S3Client s3) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        ((ObjectNode) spec.path("artifacts")).put("bootstrapWarKey", "bootstrap/my-app.war");

        // As the deployed function: S3 says "no such key" (404) rather than AccessDenied only because the role may
        // list the bucket; without that grant this would be reported as an error of S3, not as a missing WAR.
        StageFailedException e = fails(zone, cloud, spec);
        s3.putObject(b -> b.bucket(zone.bucket()).key("bootstrap/my-app.war"), RequestBody.fromBytes(new byte[] {'P', 'K', 5, 6}));

        assertThat(e).hasMessageContaining("artifacts.bootstrapWarKey: s3://" + zone.bucket() + "/bootstrap/my-app.war does not exist");
        StageHarness.invoke(handler(zone, cloud), StageHarness.state(spec));
    }

    @Test
    void everyProblem_isListedAtOnce(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        ec2.modifyVpcAttribute(b -> b.vpcId(zone.vpcId()).enableDnsHostnames(v -> v.value(false)));
        isolate(ec2, zone, zone.appSubnets().get(1));
        ObjectNode spec = zone.spec();
        ((ObjectNode) spec.path("instances").path("db")).put("ami", "ami-0123456789abcdef0");
        spec.put("region", "eu-west-1");

        StageFailedException e = fails(zone, cloud, spec);

        assertThat(e.getMessage()).contains("region: the spec says eu-west-1", "enableDnsHostnames", "network.appSubnets[1]", "instances.db.ami");
    }

    /** Gives {@code subnet} a route table of its own with no default route; returns that table. */
    private static String isolate(Ec2Client ec2, LandingZone zone, String subnet) {
        String table = ec2.createRouteTable(b -> b.vpcId(zone.vpcId())).routeTable().routeTableId();
        String association = ec2.describeRouteTables(b -> b.filters(f -> f.name("association.subnet-id").values(subnet)))
                .routeTables().getFirst().associations().stream().filter(a -> subnet.equals(a.subnetId()))
                .findFirst().orElseThrow().routeTableAssociationId();
        ec2.replaceRouteTableAssociation(b -> b.associationId(association).routeTableId(table));
        return table;
    }

    private static StageFailedException fails(LandingZone zone, LocalCloud cloud, ObjectNode spec) {
        return catchThrowableOfType(StageFailedException.class,
                () -> StageHarness.invoke(handler(zone, cloud), StageHarness.state(spec)));
    }

    private static ValidateSpecHandler handler(LandingZone zone, LocalCloud cloud) {
        return new ValidateSpecHandler(zone.functionEnvironment(cloud, "ValidateSpecFunction"));
    }

    private static void assertNothingCreated(Ec2Client ec2, SsmClient ssm, LandingZone zone) {
        assertThat(ec2.describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(zone.vpcId()))).securityGroups())
                .extracting(g -> g.groupName()).containsExactly("default");
        assertThat(ec2.describeInstances().reservations()).isEmpty();
        assertThat(ssm.describeParameters().parameters()).noneMatch(p -> p.name().startsWith("/pipeline/"));
    }
}
