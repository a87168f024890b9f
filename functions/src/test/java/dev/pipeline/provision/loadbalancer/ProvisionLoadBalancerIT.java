package dev.pipeline.provision.loadbalancer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.Prerequisites;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class ProvisionLoadBalancerIT {

    @Test
    void provision_createsStickyTargetGroupOnTomcatPort_andListener80ForwardingToIt(LocalCloud cloud, ElasticLoadBalancingV2Client elb) {
        // given a landing zone and the security groups
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);

        // when
        JsonNode out = StageHarness.invoke(new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction")), state);

        // then the target group sends HTTP to 8080 and checks the spec's page
        TargetGroup tg = elb.describeTargetGroups(b -> b.names("vprofile-tg")).targetGroups().getFirst();
        assertThat(out.get("targetGroupArn").asText()).isEqualTo(tg.targetGroupArn());
        assertThat(tg.protocolAsString()).isEqualTo("HTTP");
        assertThat(tg.port()).isEqualTo(8080);
        assertThat(tg.vpcId()).isEqualTo(zone.vpcId());
        assertThat(tg.healthCheckPath()).isEqualTo("/login");
        assertThat(tg.healthCheckPort()).isEqualTo("traffic-port");
        assertThat(tg.healthCheckIntervalSeconds()).isEqualTo(15);
        assertThat(tg.healthyThresholdCount()).isEqualTo(3);
        assertThat(tg.matcher().httpCode()).isEqualTo("200");
        // and sessions stick to one Tomcat for the spec's duration
        assertThat(attributes(elb, tg.targetGroupArn())).containsEntry("stickiness.enabled", "true")
                .containsEntry("stickiness.type", "lb_cookie")
                .containsEntry("stickiness.lb_cookie.duration_seconds", "86400")
                .containsEntry("deregistration_delay.timeout_seconds", "30");

        // and an internet-facing ALB in the public subnets behind the ALB security group
        LoadBalancer lb = elb.describeLoadBalancers(b -> b.names("vprofile-alb")).loadBalancers().getFirst();
        assertThat(out.get("loadBalancerArn").asText()).isEqualTo(lb.loadBalancerArn());
        assertThat(out.get("dnsName").asText()).isEqualTo(lb.dnsName());
        assertThat(lb.schemeAsString()).isEqualTo("internet-facing");
        assertThat(lb.availabilityZones()).extracting(az -> az.subnetId()).containsExactlyInAnyOrderElementsOf(zone.publicSubnets());
        assertThat(lb.securityGroups()).containsExactly(state.at("/securityGroups/albGroupId").asText());
        assertThat(elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(lb.loadBalancerArn())).attributes())
                .anyMatch(a -> a.key().equals("routing.http.drop_invalid_header_fields.enabled") && a.value().equals("true"));

        // and port 80 forwards to the target group, nothing else listens
        List<Listener> listeners = listeners(elb, lb.loadBalancerArn());
        assertThat(listeners).hasSize(1);
        assertThat(listeners.getFirst().port()).isEqualTo(80);
        assertThat(listeners.getFirst().defaultActions().getFirst().typeAsString()).isEqualTo("forward");
        assertThat(listeners.getFirst().defaultActions().getFirst().targetGroupArn()).isEqualTo(tg.targetGroupArn());
        assertThat(Prerequisites.strings(out.get("listenerArns"))).containsExactly(listeners.getFirst().listenerArn());

        // and everything carries the environment's tags
        assertThat(tags(elb, tg.targetGroupArn())).containsEntry("pipeline:environment", "vprofile")
                .containsEntry("pipeline:component", "tg").containsEntry("Name", "vprofile-tg").containsEntry("project", "vprofile");
        assertThat(tags(elb, lb.loadBalancerArn())).containsEntry("pipeline:component", "alb").containsEntry("Name", "vprofile-alb");
        assertThat(tags(elb, listeners.getFirst().listenerArn())).containsEntry("pipeline:environment", "vprofile");
    }

    @Test
    void provision_reusesEverything_whenRunTwice(LocalCloud cloud, ElasticLoadBalancingV2Client elb) {
        // given a provisioned load balancer
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);
        var handler = new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction"));
        JsonNode first = StageHarness.invoke(handler, state);

        // when it runs again (a retried or re-run workflow)
        JsonNode second = StageHarness.invoke(handler, state);

        // then the same resources come back, nothing new exists and nothing was changed
        assertThat(second.get("targetGroupArn")).isEqualTo(first.get("targetGroupArn"));
        assertThat(second.get("loadBalancerArn")).isEqualTo(first.get("loadBalancerArn"));
        assertThat(second.get("listenerArns")).isEqualTo(first.get("listenerArns"));
        assertThat(second.get("changes")).isEmpty();
        assertThat(second.get("ready").asBoolean()).isTrue();
        assertThat(elb.describeTargetGroups().targetGroups()).hasSize(1);
        assertThat(elb.describeLoadBalancers().loadBalancers()).hasSize(1);
        assertThat(listeners(elb, first.get("loadBalancerArn").asText())).hasSize(1);
    }

    @Test
    void provision_convergesDrift_whenStickinessTurnedOffAndHealthCheckEdited(LocalCloud cloud, ElasticLoadBalancingV2Client elb) {
        // given a provisioned load balancer that someone edited in the console
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);
        var handler = new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction"));
        String tg = StageHarness.invoke(handler, state).get("targetGroupArn").asText();
        String lb = elb.describeLoadBalancers(b -> b.names("vprofile-alb")).loadBalancers().getFirst().loadBalancerArn();
        elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(tg).attributes(
                TargetGroupAttribute.builder().key("stickiness.enabled").value("false").build()));
        elb.modifyTargetGroup(b -> b.targetGroupArn(tg).healthCheckPath("/").matcher(m -> m.httpCode("200-499")));
        String otherGroup = cloud.client(software.amazon.awssdk.services.ec2.Ec2Client.class).createSecurityGroup(b -> b
                .groupName("open").description("open").vpcId(zone.vpcId())).groupId();
        elb.setSecurityGroups(b -> b.loadBalancerArn(lb).securityGroups(otherGroup));
        String listener = listeners(elb, lb).getFirst().listenerArn();
        elb.modifyListener(b -> b.listenerArn(listener).defaultActions(a -> a.type("fixed-response")
                .fixedResponseConfig(f -> f.statusCode("503").contentType("text/plain"))));

        // when provisioning runs again
        JsonNode out = StageHarness.invoke(handler, state);

        // then the spec's settings are back, on the same resources
        assertThat(out.get("targetGroupArn").asText()).isEqualTo(tg);
        assertThat(attributes(elb, tg)).containsEntry("stickiness.enabled", "true");
        TargetGroup now = elb.describeTargetGroups(b -> b.targetGroupArns(tg)).targetGroups().getFirst();
        assertThat(now.healthCheckPath()).isEqualTo("/login");
        assertThat(now.matcher().httpCode()).isEqualTo("200");
        assertThat(elb.describeLoadBalancers(b -> b.loadBalancerArns(lb)).loadBalancers().getFirst().securityGroups())
                .containsExactly(state.at("/securityGroups/albGroupId").asText());
        Listener l = listeners(elb, lb).getFirst();
        assertThat(l.listenerArn()).isEqualTo(listener);
        assertThat(l.defaultActions().getFirst().targetGroupArn()).isEqualTo(tg);
        assertThat(Prerequisites.strings(out.get("changes"))).hasSize(4);
    }

    @Test
    void provision_servesHttpsAndRedirects80_whenSpecHasCertificate(LocalCloud cloud, ElasticLoadBalancingV2Client elb, AcmClient acm) {
        // given an HTTP-only load balancer, then a certificate added to the spec
        // (moto's CreateListener checks that the certificate exists in ACM, so the test requests one)
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);
        var handler = new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction"));
        JsonNode httpOnly = StageHarness.invoke(handler, state);
        String cert = acm.requestCertificate(b -> b.domainName("www.example.com")).certificateArn();
        ((ObjectNode) state.at("/spec/loadBalancer")).put("certificateArn", cert);

        // when provisioning runs with it
        JsonNode out = StageHarness.invoke(handler, state);

        // then 443 forwards with the TLS 1.3 policy and the certificate, and 80 (the same listener) redirects to it
        List<Listener> listeners = listeners(elb, out.get("loadBalancerArn").asText());
        assertThat(listeners).extracting(Listener::port).containsExactly(80, 443);
        Listener http = listeners.get(0), https = listeners.get(1);
        assertThat(http.listenerArn()).isEqualTo(httpOnly.get("listenerArns").get(0).asText());
        assertThat(http.defaultActions().getFirst().typeAsString()).isEqualTo("redirect");
        assertThat(http.defaultActions().getFirst().redirectConfig().protocol()).isEqualTo("HTTPS");
        assertThat(http.defaultActions().getFirst().redirectConfig().port()).isEqualTo("443");
        assertThat(http.defaultActions().getFirst().redirectConfig().statusCodeAsString()).isEqualTo("HTTP_301");
        assertThat(https.protocolAsString()).isEqualTo("HTTPS");
        assertThat(https.sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");
        assertThat(https.certificates()).extracting(c -> c.certificateArn()).containsExactly(cert);
        assertThat(https.defaultActions().getFirst().targetGroupArn()).isEqualTo(out.get("targetGroupArn").asText());
        assertThat(Prerequisites.strings(out.get("listenerArns"))).containsExactly(http.listenerArn(), https.listenerArn());

        // and running again changes nothing
        assertThat(StageHarness.invoke(handler, state).get("changes")).isEmpty();

        // and taking the certificate out again goes back to plain HTTP on 80
        ((ObjectNode) state.at("/spec/loadBalancer")).remove("certificateArn");
        StageHarness.invoke(handler, state);
        assertThat(listeners(elb, out.get("loadBalancerArn").asText())).singleElement()
                .satisfies(l -> assertThat(l.defaultActions().getFirst().targetGroupArn()).isEqualTo(out.get("targetGroupArn").asText()));
    }

    @Test
    void provision_refusesTargetGroup_whenSameNameBelongsToSomeoneElse(LocalCloud cloud, ElasticLoadBalancingV2Client elb) {
        // given a target group named like ours but not tagged as ours
        LandingZone zone = LandingZone.create(cloud);
        elb.createTargetGroup(b -> b.name("vprofile-tg").protocol("HTTP").port(80).vpcId(zone.vpcId()));

        // when / then the stage fails with a message naming it, and takes nothing over
        var handler = new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction"));
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StageHarness.invoke(handler, state))
                .isInstanceOf(dev.pipeline.functions.StageFailedException.class)
                .hasMessageContaining("vprofile-tg").hasMessageContaining("not tagged");
        assertThat(elb.describeLoadBalancers().loadBalancers()).isEmpty();
    }

    @Test
    void teardown_removesListenersLoadBalancerAndTargetGroup_andIsFineTwice(LocalCloud cloud, ElasticLoadBalancingV2Client elb) {
        // given a provisioned load balancer
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);
        StageHarness.invoke(new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction")), state);
        var teardown = new TeardownLoadBalancerHandler(zone.functionEnvironment(cloud, "TeardownLoadBalancerFunction"));

        // when it is torn down
        JsonNode out = StageHarness.invoke(teardown, state);

        // then nothing of it is left, and it says so
        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(Prerequisites.strings(out.get("deleted"))).anyMatch(d -> d.contains("vprofile-alb"))
                .anyMatch(d -> d.contains("vprofile-tg")).anyMatch(d -> d.startsWith("listener HTTP:80"));
        assertThat(elb.describeLoadBalancers().loadBalancers()).isEmpty();
        assertThat(elb.describeTargetGroups().targetGroups()).isEmpty();

        // and a second teardown finds nothing to do and is still ready
        JsonNode again = StageHarness.invoke(teardown, state);
        assertThat(again.get("ready").asBoolean()).isTrue();
        assertThat(again.get("deleted")).isEmpty();
    }

    @Test
    void provision_createsTheEnvironmentsAlarmsOnItsTargetGroup_convergesAChangedThreshold_andTeardownDeletesThem(
            LocalCloud cloud) {
        // given a landing zone and the security groups
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);
        var cloudWatch = cloud.client(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.class);

        // when the load balancer is provisioned
        JsonNode out = StageHarness.invoke(new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction")), state);

        // then both alarms watch the target group of this load balancer, as ELB's metrics are dimensioned
        String tg = out.get("targetGroupArn").asText();
        String lb = out.get("loadBalancerArn").asText();
        var alarms = cloudWatch.describeAlarms(b -> b.alarmNames("vprofile-target-5xx", "vprofile-healthy-hosts")).metricAlarms();
        assertThat(alarms).extracting(a -> a.alarmName()).containsExactlyInAnyOrder("vprofile-target-5xx", "vprofile-healthy-hosts");
        assertThat(Prerequisites.strings(out.get("alarmNames"))).containsExactly("vprofile-target-5xx", "vprofile-healthy-hosts");
        var errors = alarms.stream().filter(a -> a.alarmName().equals("vprofile-target-5xx")).findFirst().orElseThrow();
        assertThat(errors.namespace()).isEqualTo("AWS/ApplicationELB");
        assertThat(errors.metricName()).isEqualTo("HTTPCode_Target_5XX_Count");
        assertThat(errors.statisticAsString()).isEqualTo("Sum");
        assertThat(errors.threshold()).isEqualTo(10.0);
        assertThat(errors.period()).isEqualTo(60);
        assertThat(errors.dimensions()).extracting(d -> d.name() + "=" + d.value()).containsExactlyInAnyOrder(
                "LoadBalancer=" + lb.substring(lb.indexOf(":loadbalancer/") + ":loadbalancer/".length()),
                "TargetGroup=" + tg.substring(tg.indexOf(":targetgroup/") + 1));
        // capacity: fewer healthy targets than the refresh keeps (2 instances x 100%) throughout two minutes
        var capacity = alarms.stream().filter(a -> a.alarmName().equals("vprofile-healthy-hosts")).findFirst().orElseThrow();
        assertThat(capacity.metricName()).isEqualTo("HealthyHostCount");
        assertThat(capacity.statisticAsString()).isEqualTo("Minimum");
        assertThat(capacity.comparisonOperatorAsString()).isEqualTo("LessThanThreshold");
        assertThat(capacity.evaluationPeriods()).isEqualTo(2);
        assertThat(capacity.threshold()).isEqualTo(2.0);
        assertThat(cloudWatch.listTagsForResource(b -> b.resourceARN(errors.alarmArn())).tags())
                .anyMatch(t -> t.key().equals("pipeline:environment") && t.value().equals("vprofile"));

        // and a second run changes nothing
        JsonNode again = StageHarness.invoke(new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction")), state);
        assertThat(again.get("changes")).isEmpty();

        // when the spec raises the 5xx threshold, the next run rewrites that alarm and says so
        ((ObjectNode) state.get("spec").get("deployment")).putObject("alarms").put("target5xxPerMinute", 50);
        JsonNode changed = StageHarness.invoke(new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction")), state);
        assertThat(Prerequisites.strings(changed.get("changes"))).singleElement().asString()
                .contains("vprofile-target-5xx").contains("threshold 10.0 (spec: 50.0)");
        assertThat(cloudWatch.describeAlarms(b -> b.alarmNames("vprofile-target-5xx")).metricAlarms().getFirst().threshold())
                .isEqualTo(50.0);

        // when torn down, the alarms go with the load balancer
        JsonNode down = StageHarness.invoke(new TeardownLoadBalancerHandler(zone.functionEnvironment(cloud, "TeardownLoadBalancerFunction")), state);
        assertThat(Prerequisites.strings(down.get("deleted"))).contains("alarm vprofile-target-5xx", "alarm vprofile-healthy-hosts");
        assertThat(cloudWatch.describeAlarms(b -> b.alarmNames("vprofile-target-5xx", "vprofile-healthy-hosts")).metricAlarms()).isEmpty();
    }

    @Test
    void anAlarmOfTheSameNameThatIsNotOurs_failsTheStage_andTeardownLeavesItAlone(LocalCloud cloud) {
        // given someone else's alarm with the name ours would have
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = Prerequisites.stateWithSecurityGroups(cloud, zone);
        var cloudWatch = cloud.client(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.class);
        cloudWatch.putMetricAlarm(b -> b.alarmName("vprofile-target-5xx").namespace("Other").metricName("Errors")
                .statistic("Sum").period(60).evaluationPeriods(1).threshold(1.0).comparisonOperator("GreaterThanThreshold"));

        // when provisioning runs, it refuses to overwrite it, naming it
        assertThatThrownBy(() -> StageHarness.invoke(new ProvisionLoadBalancerHandler(zone.functionEnvironment(cloud, "ProvisionLoadBalancerFunction")), state))
                .hasMessageContaining("vprofile-target-5xx");

        // and teardown does not delete it
        StageHarness.invoke(new TeardownLoadBalancerHandler(zone.functionEnvironment(cloud, "TeardownLoadBalancerFunction")), state);
        assertThat(cloudWatch.describeAlarms(b -> b.alarmNames("vprofile-target-5xx")).metricAlarms()).singleElement()
                .satisfies(a -> assertThat(a.namespace()).isEqualTo("Other"));
    }

    @Test
    void teardown_leavesSameNamedResourcesOfOthersAlone(LocalCloud cloud, ElasticLoadBalancingV2Client elb) {
        // given a target group named like ours that another team made
        LandingZone zone = LandingZone.create(cloud);
        elb.createTargetGroup(b -> b.name("vprofile-tg").protocol("HTTP").port(8080).vpcId(zone.vpcId()));

        // when teardown runs
        JsonNode out = StageHarness.invoke(new TeardownLoadBalancerHandler(zone.functionEnvironment(cloud, "TeardownLoadBalancerFunction")),
                StageHarness.state(zone.spec()));

        // then it is still there
        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(elb.describeTargetGroups().targetGroups()).hasSize(1);
    }

    static Map<String, String> attributes(ElasticLoadBalancingV2Client elb, String tg) {
        return elb.describeTargetGroupAttributes(b -> b.targetGroupArn(tg)).attributes().stream()
                .collect(Collectors.toMap(TargetGroupAttribute::key, TargetGroupAttribute::value));
    }

    static List<Listener> listeners(ElasticLoadBalancingV2Client elb, String lb) {
        return elb.describeListeners(b -> b.loadBalancerArn(lb)).listeners().stream()
                .sorted(Comparator.comparingInt(Listener::port)).toList();
    }

    static Map<String, String> tags(ElasticLoadBalancingV2Client elb, String arn) {
        return elb.describeTags(b -> b.resourceArns(arn)).tagDescriptions().getFirst().tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }
}
