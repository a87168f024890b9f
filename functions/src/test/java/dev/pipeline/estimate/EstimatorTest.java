package dev.pipeline.estimate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EstimatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode example() throws IOException {
        return (ObjectNode) JSON.readTree(Files.readString(Path.of("../examples/vprofile.json")));
    }

    @Test
    void refresh_replacesOneAtATime_withTodaysNinetyPercentAndNoMaximum() {
        assertThat(Estimator.refreshPlan(2, 90, 100)).extracting("batchSize", "batches", "launchBeforeTerminate").containsExactly(1, 2, false);
        assertThat(Estimator.refreshPlan(4, 90, 100)).extracting("batchSize", "batches").containsExactly(1, 4);
        // 90% of 20 keeps 18 in service, so two go at a time
        assertThat(Estimator.refreshPlan(20, 90, 100)).extracting("batchSize", "batches").containsExactly(2, 10);
    }

    @Test
    void refresh_isOneBatch_whenLaunchingBeforeTerminatingAtTwoHundredPercent() {
        assertThat(Estimator.refreshPlan(2, 100, 200)).extracting("batchSize", "batches", "launchBeforeTerminate").containsExactly(2, 1, true);
        assertThat(Estimator.refreshPlan(8, 100, 200)).extracting("batchSize", "batches").containsExactly(8, 1);
        // 150% of 4: two extra at a time
        assertThat(Estimator.refreshPlan(4, 100, 150)).extracting("batchSize", "batches").containsExactly(2, 2);
        // 110% of 4 allows no whole extra instance: AWS still replaces one at a time
        assertThat(Estimator.refreshPlan(4, 100, 110)).extracting("batchSize", "batches").containsExactly(1, 4);
    }

    @Test
    void inPlace_isLiveWithinFiveMinutesForTheExample_oneInstanceAtATime_andItsImageFollowsWithoutARefresh() throws IOException {
        var e = new Estimator().estimate(example());
        assertThat(e.inPlacePlan()).extracting("config", "batchSize", "batches").containsExactly("CodeDeployDefault.OneAtATime", 1, 2);
        // per batch: 30 s draining + 10 s agent + 10 s install + 45 s Tomcat + 15 s × 3 health checks
        assertThat(e.inPlace().get(3).seconds()).isEqualTo(2 * 140);
        assertThat(e.inPlaceToLiveSeconds()).isLessThanOrEqualTo(5 * 60).isLessThan(e.deploySeconds());
        // the image follows with the bake's own steps, and no refresh
        assertThat(e.inPlaceImage()).extracting(Estimator.Step::name).noneMatch(n -> n.contains("refresh") && !n.contains("no refresh"));
        assertThat(e.inPlaceImageSeconds()).isGreaterThan(e.deploy().get(4).seconds());
    }

    @Test
    void inPlace_halfAtATime_updatesHalfTheFleetPerBatch() {
        assertThat(Estimator.inPlacePlan("CodeDeployDefault.HalfAtATime", 8)).extracting("batchSize", "batches").containsExactly(4, 2);
        assertThat(Estimator.inPlacePlan("CodeDeployDefault.HalfAtATime", 3)).extracting("batchSize", "batches").containsExactly(1, 3);
        assertThat(Estimator.inPlacePlan("CodeDeployDefault.OneAtATime", 5)).extracting("batchSize", "batches").containsExactly(1, 5);
        assertThatThrownBy(() -> Estimator.inPlacePlan("CodeDeployDefault.AllAtOnce", 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refresh_refusesPercentagesAwsRefuses() {
        assertThatThrownBy(() -> Estimator.refreshPlan(2, 101, 200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Estimator.refreshPlan(2, 90, 99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Estimator.refreshPlan(2, 50, 200)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deploy_growsWithTheFleet_oneBatchPerInstance_atNinetyPercent() throws IOException {
        ObjectNode spec = example();
        // a warm-up that outlasts the health checks, so every batch costs its full warm-up
        ((ObjectNode) spec.get("deployment")).put("minHealthyPercentage", 90).put("maxHealthyPercentage", 100)
                .put("instanceWarmupSeconds", 300);
        var two = new Estimator().estimate(spec);
        ((ObjectNode) spec.get("fleet")).put("desired", 8).put("max", 8);
        var eight = new Estimator().estimate(spec);
        assertThat(two.refresh().batches()).isEqualTo(2);
        assertThat(eight.refresh().batches()).isEqualTo(8);
        assertThat(eight.deploySeconds()).isGreaterThan(two.deploySeconds() * 2);
    }

    @Test
    void theExample_launchesBeforeTerminating_andDeploysFasterThanOneAtATime_atTwoAsAtEight() throws IOException {
        ObjectNode spec = example();
        var two = new Estimator().estimate(spec);
        ObjectNode oneAtATime = example();
        ((ObjectNode) oneAtATime.get("deployment")).put("minHealthyPercentage", 90).put("maxHealthyPercentage", 100);
        // the example's 120 s warm-up is about as long as a new instance takes to pass its checks, so a batch is
        // launch + 120 s + ... : the second batch costs 150 s, less the 60 s the old instances take to drain and go
        ((ObjectNode) spec.get("fleet")).put("desired", 8).put("max", 8);
        var eight = new Estimator().estimate(spec);

        assertThat(two.refresh()).extracting("minHealthyPercentage", "maxHealthyPercentage", "batches", "launchBeforeTerminate")
                .containsExactly(100, 200, 1, true);
        // one batch instead of two: a warm-up and a launch less, less the old instances' draining
        assertThat(new Estimator().estimate(oneAtATime).deploySeconds() - two.deploySeconds()).isEqualTo(150 - 60);
        // the README's promise for the example: a deploy within 15 minutes on AWS, bake time included
        assertThat(two.deploySeconds()).isLessThanOrEqualTo(15 * 60);
        assertThat(eight.refresh().batches()).isEqualTo(1);
        assertThat(eight.deploySeconds()).isCloseTo(two.deploySeconds(), org.assertj.core.data.Percentage.withPercentage(10));
    }

    @Test
    void aSpecWithoutPercentages_getsTheSpecDefaults_notAwsOwn() throws IOException {
        ObjectNode spec = example();
        ((ObjectNode) spec.get("deployment")).remove(java.util.List.of("minHealthyPercentage", "maxHealthyPercentage"));
        assertThat(new Estimator().estimate(spec).refresh()).extracting("minHealthyPercentage", "maxHealthyPercentage")
                .containsExactly(100, 200);
        ((ObjectNode) spec.get("deployment")).put("minHealthyPercentage", 90);
        assertThat(new Estimator().estimate(spec).refresh().maxHealthyPercentage()).isEqualTo(190);
    }

    @Test
    void deploy_takesAboutAsLongForEightAsForTwo_whenLaunchingBeforeTerminating() throws IOException {
        ObjectNode spec = example();
        ((ObjectNode) spec.get("deployment")).put("minHealthyPercentage", 100).put("maxHealthyPercentage", 200);
        var two = new Estimator().estimate(spec);
        ((ObjectNode) spec.get("fleet")).put("desired", 8).put("max", 16);
        var eight = new Estimator().estimate(spec);
        assertThat(eight.refresh().batches()).isEqualTo(1);
        assertThat(eight.deploySeconds()).isCloseTo(two.deploySeconds(), org.assertj.core.data.Percentage.withPercentage(10));
        // more instances beside the old ones while it runs: the deploy costs more, the environment more per hour
        assertThat(eight.deployCostUsd()).isGreaterThan(two.deployCostUsd());
        assertThat(eight.perHourUsd()).isGreaterThan(two.perHourUsd());
    }

    @Test
    void warmUp_andHealthChecks_comeFromTheSpec() throws IOException {
        ObjectNode spec = example();
        ((ObjectNode) spec.get("deployment")).put("instanceWarmupSeconds", 300);
        var base = new Estimator().estimate(spec);
        ((ObjectNode) spec.get("deployment")).put("instanceWarmupSeconds", 60);
        ((ObjectNode) spec.get("loadBalancer").get("healthCheck")).put("intervalSeconds", 5).put("healthyThreshold", 2);
        var fast = new Estimator().estimate(spec);
        // one batch; the warm-up (300 s) outlasted boot + Tomcat + 3 × 15 s checks (120 s); now boot + Tomcat + 2 × 5 s
        // checks (85 s) outlast the 60 s warm-up
        assertThat(base.deploySeconds() - fast.deploySeconds()).isEqualTo(300 - 85);
        // provisioning waits for the fleet's health checks (45 s -> 10 s), not for a warm-up
        assertThat(base.provisionSeconds() - fast.provisionSeconds()).isEqualTo(35);
    }

    @Test
    void bakeTime_addsToTheDeploy_asItsOwnStep() throws IOException {
        ObjectNode spec = example();
        var base = new Estimator().estimate(spec);
        ((ObjectNode) spec.get("deployment")).put("bakeTimeSeconds", 600);
        var longer = new Estimator().estimate(spec);
        assertThat(longer.deploySeconds() - base.deploySeconds()).isEqualTo(600 - 120);
        assertThat(base.provisionSeconds()).isEqualTo(longer.provisionSeconds());
    }

    @Test
    void cost_countsEveryInstanceTheSpecRuns_atItsPrice() throws IOException {
        var e = new Estimator().estimate(example());
        // db t3.small, mc t3.micro, rmq t3.small, 2 × app t3.small, ALB 0.0225 + 1 LCU 0.008, 5 × 8 GiB gp3
        double hourly = 4 * 0.0208 + 0.0104 + 0.0225 + 0.008 + 40 * 0.08 / 730;
        assertThat(e.perHourUsd()).isCloseTo(hourly, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(e.perMonthUsd()).isGreaterThan(e.perHourUsd() * 730);
    }

    @Test
    void cost_refusesAnInstanceTypeItHasNoPriceFor() throws IOException {
        ObjectNode spec = example();
        ((ObjectNode) spec.get("instances").get("app")).put("instanceType", "x9.huge");
        assertThatThrownBy(() -> new Estimator().estimate(spec)).hasMessageContaining("x9.huge");
    }

    @Test
    void pollInterval_addsHalfAPollPerWaitLoop() throws IOException {
        var thirty = new Estimator(30).estimate(example());
        var ten = new Estimator(10).estimate(example());
        // deploy: builder, install, image, refresh wait loops
        assertThat(thirty.deploySeconds() - ten.deploySeconds()).isEqualTo(4 * 10);
    }
}
