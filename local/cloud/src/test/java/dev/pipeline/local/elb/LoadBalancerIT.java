package dev.pipeline.local.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.instances.InstanceEndpoints;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local Application Load Balancer as a user meets it: a site URL that answers over HTTP from healthy targets
 * only, round robin, with AWSALB stickiness, and DescribeTargetHealth from real HTTP health checks. Instances are
 * stood in for by {@link FakeInstances} (one JDK HTTP server each).
 */
@ExtendWith(LocalCloudExtension.class)
class LoadBalancerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Generous: a bound on waiting, never an assertion on how long things take. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private LocalCloud cloud;
    private FakeInstances fakes;
    /** The instance model the local cloud had (the real one, once installed), put back after each test. */
    private InstanceEndpoints previous;
    private boolean previousMode;

    record Site(String targetGroupArn, String url, List<String> instanceIds) {}

    @AfterEach
    void restoreInstanceModel() {
        if (cloud != null) {
            cloud.instanceEndpoints(previous);
            LoadBalancers.of(cloud).healthFromChecks(previousMode);
        }
        if (fakes != null) fakes.close();
    }

    private void given(LocalCloud cloud, FakeInstances fakes) {
        this.cloud = cloud;
        this.previous = cloud.instanceEndpoints();
        this.previousMode = LoadBalancers.of(cloud).fromChecks;
        LoadBalancers.of(cloud).healthFromChecks(true);
        this.fakes = fakes;
        cloud.instanceEndpoints(fakes);
    }

    /** A load balancer with an HTTP listener forwarding to a target group (health path /health) of {@code n} instances. */
    private static Site givenSite(LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb, int n,
                                  Map<String, String> attributes) throws Exception {
        String vpc = ec2.describeVpcs(b -> b.filters(f("isDefault", "true"))).vpcs().getFirst().vpcId();
        List<String> subnets = ec2.describeSubnets(b -> b.filters(f("vpc-id", vpc))).subnets().stream()
                .map(s -> s.subnetId()).limit(2).toList();
        String tg = elb.createTargetGroup(b -> b.name("web-tg").protocol(ProtocolEnum.HTTP).port(FakeInstances.TOMCAT_PORT).vpcId(vpc)
                .targetType(TargetTypeEnum.INSTANCE).healthCheckPath("/health").healthCheckIntervalSeconds(30)
                .healthCheckTimeoutSeconds(5).healthyThresholdCount(2).unhealthyThresholdCount(2)
                .matcher(m -> m.httpCode("200"))).targetGroups().getFirst().targetGroupArn();
        if (!attributes.isEmpty()) {
            elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(tg).attributes(attributes.entrySet().stream()
                    .map(e -> software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute.builder()
                            .key(e.getKey()).value(e.getValue()).build()).toList()));
        }
        String lb = elb.createLoadBalancer(b -> b.name("web-alb").type(LoadBalancerTypeEnum.APPLICATION).subnets(subnets))
                .loadBalancers().getFirst().loadBalancerArn();
        elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg)));
        List<String> ids = new ArrayList<>();
        if (n > 0) {
            String ami = ec2.describeImages(b -> b.filters(f("name", "al2023-ami-2023*-x86_64"))).images().getFirst().imageId();
            ec2.runInstances(b -> b.imageId(ami).instanceType(InstanceType.T3_MICRO).minCount(n).maxCount(n).subnetId(subnets.getFirst()))
                    .instances().forEach(i -> ids.add(i.instanceId()));
            elb.registerTargets(b -> b.targetGroupArn(tg).targets(ids.stream()
                    .map(id -> TargetDescription.builder().id(id).port(FakeInstances.TOMCAT_PORT).build()).toList()));
        }
        return new Site(tg, siteUrl(cloud), ids);
    }

    /** The site URL, as the CLI finds it: GET /_local/sites. */
    private static String siteUrl(LocalCloud cloud) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(cloud.endpoint().resolve("/_local/sites")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode sites = JSON.readTree(r.body());
        assertThat(sites).as("sites: " + r.body()).hasSize(1);
        assertThat(sites.get(0).path("loadBalancerName").asText()).isEqualTo("web-alb");
        String url = sites.get(0).path("url").asText();
        assertThat(url).startsWith("http://127.0.0.1:");
        return url;
    }

    private static Filter f(String name, String value) { return Filter.builder().name(name).values(value).build(); }

    private static Map<String, TargetHealth> health(ElasticLoadBalancingV2Client elb, String tg) {
        Map<String, TargetHealth> out = new HashMap<>();
        for (TargetHealthDescription d : elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions()) {
            out.put(d.target().id(), d.targetHealth());
        }
        return out;
    }

    private static Map<String, TargetHealth> awaitHealth(ElasticLoadBalancingV2Client elb, String tg, Predicate<Map<String, TargetHealth>> until) {
        Instant deadline = Instant.now().plus(PATIENCE);
        Map<String, TargetHealth> h = health(elb, tg);
        while (!until.test(h)) {
            assertThat(Instant.now()).as("target health never got there; last seen: " + h).isBefore(deadline);
            sleep(50);
            h = health(elb, tg);
        }
        return h;
    }

    private static boolean state(Map<String, TargetHealth> h, String id, String state) {
        return h.containsKey(id) && state.equals(h.get(id).stateAsString());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (cookie != null) b.header("Cookie", cookie);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<String> stickyCookie(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("AWSALB=")).map(c -> c.split(";", 2)[0]).findFirst();
    }

    @Test
    void targetsAnswering500_toRealTraffic_putThe5xxAlarmOnTheirTargetGroupIntoAlarm_andBackToOkWhenFixed(
            LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        // given two healthy targets, one of which fails its users (its health path still answers 200)
        given(cloud, new FakeInstances());
        Site site = givenSite(cloud, ec2, elb, 2, Map.of());
        String failing = site.instanceIds().get(1);
        fakes.rootCode(failing, 500);
        awaitHealth(elb, site.targetGroupArn(), x -> site.instanceIds().stream().allMatch(id -> state(x, id, "healthy")));
        // and an alarm on the target group's 5xx count, as a pipeline environment has (the dimensions are ELB's)
        var cw = cloud.client(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.class);
        String lbArn = elb.describeLoadBalancers(b -> b.names("web-alb")).loadBalancers().getFirst().loadBalancerArn();
        cw.putMetricAlarm(b -> b.alarmName("web-target-5xx").namespace("AWS/ApplicationELB").metricName("HTTPCode_Target_5XX_Count")
                .statistic("Sum").period(60).evaluationPeriods(1).threshold(3.0).comparisonOperator("GreaterThanOrEqualToThreshold")
                .treatMissingData("notBreaching")
                .dimensions(d -> d.name("LoadBalancer").value(lbArn.substring(lbArn.indexOf(":loadbalancer/") + 14)),
                        d -> d.name("TargetGroup").value(site.targetGroupArn().substring(site.targetGroupArn().indexOf(":targetgroup/") + 1))));

        // when users browse (round robin: every other request reaches the failing target)
        java.util.function.Supplier<String> state = () -> cw.describeAlarms(b -> b.alarmNames("web-target-5xx")).metricAlarms()
                .getFirst().stateValueAsString();
        Instant until = Instant.now().plus(PATIENCE);
        int fives = 0;
        while (!state.get().equals("ALARM") && Instant.now().isBefore(until)) {
            if (get(site.url(), null).statusCode() == 500) fives++;
        }

        // then the alarm went into ALARM, saying why
        var alarm = cw.describeAlarms(b -> b.alarmNames("web-target-5xx")).metricAlarms().getFirst();
        assertThat(alarm.stateValueAsString()).as("after %d answers of 500", fives).isEqualTo("ALARM");
        assertThat(alarm.stateReason()).startsWith("Threshold Crossed").contains("greater than or equal to the threshold (3.0)");
        assertThat(fives).isGreaterThanOrEqualTo(3);

        // when the target is fixed and traffic goes on, the alarm returns to OK (a period without 5xx)
        fakes.rootCode(failing, 200);
        until = Instant.now().plus(PATIENCE);
        while (!state.get().equals("OK") && Instant.now().isBefore(until)) get(site.url(), null);
        assertThat(state.get()).isEqualTo("OK");
    }

    @Test
    void targetWhoseHealthPathAnswers500_becomesUnhealthy_withResponseCodeMismatch_andGetsNoTraffic(
            LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        given(cloud, new FakeInstances());
        Site site = givenSite(cloud, ec2, elb, 3, Map.of());
        String good1 = site.instanceIds().get(0), broken = site.instanceIds().get(1), good2 = site.instanceIds().get(2);
        fakes.healthCode(broken, 500);

        Map<String, TargetHealth> h = awaitHealth(elb, site.targetGroupArn(),
                x -> state(x, good1, "healthy") && state(x, good2, "healthy") && state(x, broken, "unhealthy"));
        assertThat(h.get(broken).reasonAsString()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(h.get(broken).description()).contains("500");

        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> r = get(site.url(), null);
            assertThat(r.statusCode()).isEqualTo(200);
            servedBy.add(r.body());
        }
        assertThat(servedBy).doesNotContain("served by " + broken)
                .contains("served by " + good1, "served by " + good2);
    }

    @Test
    void anImageTheHealthModelMarks_failsTheRealChecks_as500_untilUnmarked(
            LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        given(cloud, new FakeInstances());
        Site site = givenSite(cloud, ec2, elb, 2, Map.of());
        String id = site.instanceIds().getFirst();
        awaitHealth(elb, site.targetGroupArn(), x -> site.instanceIds().stream().allMatch(i -> state(x, i, "healthy")));
        String ami = ec2.describeInstances(b -> b.instanceIds(id)).reservations().getFirst().instances().getFirst().imageId();

        // the injected fault of an app that passes its bake and fails on the fleet: its instances answer 200 for real
        dev.pipeline.local.refresh.HealthModel.of(cloud).markUnhealthy(ami);
        Map<String, TargetHealth> h = awaitHealth(elb, site.targetGroupArn(), x -> state(x, id, "unhealthy"));
        assertThat(h.get(id).reasonAsString()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(h.get(id).description()).contains("500");

        dev.pipeline.local.refresh.HealthModel.of(cloud).markHealthy(ami);
        awaitHealth(elb, site.targetGroupArn(), x -> state(x, id, "healthy"));
    }

    @Test
    void targetsThatDoNotAnswer_areUnhealthy_withFailedHealthChecks_orTimeout(
            LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        given(cloud, new FakeInstances());
        Site site = givenSite(cloud, ec2, elb, 3, Map.of());
        String fine = site.instanceIds().get(0), down = site.instanceIds().get(1), slow = site.instanceIds().get(2);
        fakes.down(down);
        fakes.healthDelay(slow, 3_000); // longer than any health check timeout here

        Map<String, TargetHealth> h = awaitHealth(elb, site.targetGroupArn(),
                x -> state(x, fine, "healthy") && state(x, down, "unhealthy") && state(x, slow, "unhealthy"));
        assertThat(h.get(down).reasonAsString()).isEqualTo("Target.FailedHealthChecks");
        assertThat(h.get(slow).reasonAsString()).isEqualTo("Target.Timeout");
    }

    @Test
    void noRegisteredTarget_answers503(LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        given(cloud, new FakeInstances());
        Site site = givenSite(cloud, ec2, elb, 0, Map.of());

        HttpResponse<String> r = get(site.url(), null);

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("503 Service Temporarily Unavailable");
    }

    @Test
    void targetsStillInTheirInitialChecks_getNoTraffic_503(LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        given(cloud, new FakeInstances());
        Site site = givenSite(cloud, ec2, elb, 0, Map.of());
        String ami = ec2.describeImages(b -> b.filters(f("name", "al2023-ami-2023*-x86_64"))).images().getFirst().imageId();
        String id = ec2.runInstances(b -> b.imageId(ami).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1))
                .instances().getFirst().instanceId();
        fakes.holdHealth(id);
        elb.registerTargets(b -> b.targetGroupArn(site.targetGroupArn()).targets(t -> t.id(id).port(FakeInstances.TOMCAT_PORT)));

        assertThat(health(elb, site.targetGroupArn()).get(id).stateAsString()).isEqualTo("initial");
        assertThat(get(site.url(), null).statusCode()).isEqualTo(503);
        fakes.openHealth(id);
    }

    @Test
    void whenEveryTargetIsUnhealthy_theLoadBalancerFailsOpen_andRoutesToThemAll(
            LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        given(cloud, new FakeInstances(id -> 500));
        Site site = givenSite(cloud, ec2, elb, 2, Map.of());
        awaitHealth(elb, site.targetGroupArn(), x -> site.instanceIds().stream().allMatch(id -> state(x, id, "unhealthy")));

        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < 4; i++) servedBy.add(get(site.url(), null).body());

        assertThat(servedBy).contains("served by " + site.instanceIds().get(0), "served by " + site.instanceIds().get(1));
    }

    @Test
    void withoutStickiness_requestsGoRoundRobin(LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        given(cloud, new FakeInstances());
        Site site = givenSite(cloud, ec2, elb, 3, Map.of());
        awaitHealth(elb, site.targetGroupArn(), x -> site.instanceIds().stream().allMatch(id -> state(x, id, "healthy")));

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 9; i++) {
            HttpResponse<String> r = get(site.url(), null);
            assertThat(stickyCookie(r)).as("no AWSALB cookie without stickiness").isEmpty();
            counts.merge(r.body(), 1, Integer::sum);
        }

        assertThat(counts).containsOnlyKeys(site.instanceIds().stream().map(id -> "served by " + id).toArray(String[]::new));
        assertThat(counts.values()).containsOnly(3);
    }

    @Test
    void stickiness_keepsAClientOnOneInstance_untilThatInstanceGoes_thenMovesIt(
            LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        given(cloud, new FakeInstances());
        Site site = givenSite(cloud, ec2, elb, 3, Map.of("stickiness.enabled", "true", "stickiness.type", "lb_cookie",
                "stickiness.lb_cookie.duration_seconds", "86400"));
        awaitHealth(elb, site.targetGroupArn(), x -> site.instanceIds().stream().allMatch(id -> state(x, id, "healthy")));

        HttpResponse<String> first = get(site.url(), null);
        String cookie = stickyCookie(first).orElseThrow(() -> new AssertionError("no AWSALB cookie: " + first.headers()));
        assertThat(first.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("AWSALBCORS=") && c.contains("SameSite=None; Secure"));
        String home = first.body();
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = get(site.url(), cookie);
            assertThat(r.body()).as("request %d with the cookie", i).isEqualTo(home);
            cookie = stickyCookie(r).orElseThrow();
        }
        // another client, without the cookie, is not held to that instance
        assertThat(List.of(get(site.url(), null).body(), get(site.url(), null).body(), get(site.url(), null).body())).anyMatch(b -> !b.equals(home));

        String homeId = home.substring("served by ".length());
        fakes.healthCode(homeId, 500);
        awaitHealth(elb, site.targetGroupArn(), x -> state(x, homeId, "unhealthy"));

        HttpResponse<String> moved = get(site.url(), cookie);
        assertThat(moved.body()).isNotEqualTo(home).startsWith("served by ");
        String newCookie = stickyCookie(moved).orElseThrow();
        for (int i = 0; i < 5; i++) {
            assertThat(get(site.url(), newCookie).body()).as("stays on its new instance").isEqualTo(moved.body());
        }
    }

    @Test
    void describeTargetHealth_followsTheChecks_initialThenHealthyThenUnhealthyThenHealthyAgain(
            LocalCloud cloud, Ec2Client ec2, ElasticLoadBalancingV2Client elb) throws Exception {
        given(cloud, new FakeInstances());
        Site site = givenSite(cloud, ec2, elb, 0, Map.of());
        String ami = ec2.describeImages(b -> b.filters(f("name", "al2023-ami-2023*-x86_64"))).images().getFirst().imageId();
        String id = ec2.runInstances(b -> b.imageId(ami).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1))
                .instances().getFirst().instanceId();
        fakes.holdHealth(id); // its first check is in flight until we let it answer
        elb.registerTargets(b -> b.targetGroupArn(site.targetGroupArn()).targets(t -> t.id(id).port(FakeInstances.TOMCAT_PORT)));

        TargetHealth initial = health(elb, site.targetGroupArn()).get(id);
        assertThat(initial.stateAsString()).isEqualTo("initial");
        assertThat(initial.reasonAsString()).isIn("Elb.RegistrationInProgress", "Elb.InitialHealthChecking");

        fakes.openHealth(id);
        assertThat(awaitHealth(elb, site.targetGroupArn(), x -> !state(x, id, "initial")).get(id).stateAsString()).isEqualTo("healthy");
        assertThat(get(site.url(), null).body()).isEqualTo("served by " + id);

        fakes.healthCode(id, 404);
        TargetHealth sick = awaitHealth(elb, site.targetGroupArn(), x -> state(x, id, "unhealthy")).get(id);
        assertThat(sick.reasonAsString()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(sick.description()).contains("404");

        fakes.healthCode(id, 200);
        assertThat(awaitHealth(elb, site.targetGroupArn(), x -> state(x, id, "healthy")).get(id).reasonAsString()).isNull();
    }
}
