package dev.pipeline.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Consumer;

import static dev.pipeline.spec.SpecFixtures.minimalWith;
import static dev.pipeline.spec.SpecFixtures.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Each way a spec can be wrong is refused with the path of the offending field and a reason to act on. */
class SpecValidationTest {

    /** Asserts the edited minimal spec is refused for exactly one problem, at {@code path}, mentioning each fragment. */
    private static void refusedOnlyFor(Consumer<ObjectNode> edit, String path, String... fragments) {
        List<Problem> problems = problemsOf(minimalWith(edit));
        assertThat(problems).as("problems").hasSize(1);
        assertThat(problems.getFirst().path()).isEqualTo(path);
        if (fragments.length > 0) {
            assertThat(problems.getFirst().reason()).contains(fragments);
        }
    }

    @Test
    void missingVpc_isRequired() {
        refusedOnlyFor(root -> root.withObject("network").remove("vpcId"), "network.vpcId", "required");
    }

    @Test
    void missingNetwork_isRequired() {
        refusedOnlyFor(root -> root.remove("network"), "network", "required");
    }

    @Test
    void missingAdminCidr_isRequired_andNeverDefaulted() {
        refusedOnlyFor(root -> root.withObject("network").remove("adminCidr"), "network.adminCidr",
                "required", "never defaulted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.300/32", "203.0.113/24", "not-a-cidr", "203.0.113.10/33",
            "2001:db8::/129", "2001:db8:::1/128", "fe80::1%eth0/64", "::ffff:203.0.113.10/128", "203.0.113.10/032"})
    void malformedAdminCidr_isRefused(String cidr) {
        refusedOnlyFor(root -> root.withObject("network").put("adminCidr", cidr), "network.adminCidr");
    }

    @Test
    void adminAddressWithoutPrefix_isRefused_withAnExample() {
        refusedOnlyFor(root -> root.withObject("network").put("adminCidr", "203.0.113.10"), "network.adminCidr",
                "missing the prefix length", "/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "::/0", "203.0.113.0/0"})
    void worldOpenAdminCidr_isRefused(String cidr) {
        refusedOnlyFor(root -> root.withObject("network").put("adminCidr", cidr), "network.adminCidr",
                "whole internet");
    }

    @Test
    void adminCidrWithHostBits_isRefused_withTheNetworkSuggested() {
        refusedOnlyFor(root -> root.withObject("network").put("adminCidr", "203.0.113.10/24"), "network.adminCidr",
                "did you mean 203.0.113.0/24?");
        refusedOnlyFor(root -> root.withObject("network").put("adminCidr", "2001:db8::1/64"), "network.adminCidr",
                "did you mean 2001:db8::/64?");
    }

    @Test
    void ipv6AdminCidr_isAccepted() {
        EnvironmentSpec spec = EnvironmentSpecs.parse(
                minimalWith(root -> root.withObject("network").put("adminCidr", "2001:db8::10/128")));

        assertThat(spec.network().adminCidrIsIpv6()).isTrue();
    }

    @Test
    void onePublicSubnet_isRefused_becauseAlbNeedsTwoZones() {
        refusedOnlyFor(root -> root.withObject("network").putArray("publicSubnets").add("subnet-0a1b2c3d4e5f60711"),
                "network.publicSubnets", "at least 2", "Availability Zones");
    }

    @Test
    void badAndDuplicateSubnets_areReportedByIndex() {
        List<Problem> problems = problemsOf(minimalWith(root -> root.withObject("network").putArray("appSubnets")
                .add("subnet-0a1b2c3d4e5f60713").add("sub-123").add("subnet-0a1b2c3d4e5f60713")));

        assertThat(problems).extracting(Problem::path)
                .containsExactly("network.appSubnets[1]", "network.appSubnets[2]");
        assertThat(problems.get(0).reason()).contains("subnet id");
        assertThat(problems.get(1).reason()).contains("duplicate of network.appSubnets[0]");
    }

    @Test
    void minGreaterThanMax_isRefused() {
        refusedOnlyFor(root -> root.putObject("fleet").put("min", 3).put("desired", 3).put("max", 2), "fleet.min",
                "greater than max");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5})
    void desiredOutsideMinMax_isRefused(int desired) {
        refusedOnlyFor(root -> root.putObject("fleet").put("min", 1).put("desired", desired).put("max", 4),
                "fleet.desired", "outside min..max (1..4)");
    }

    @Test
    void maxAboveCap_isRefused() {
        refusedOnlyFor(root -> root.putObject("fleet").put("max", 21), "fleet.max", "at most 20");
    }

    @Test
    void numberWrittenAsString_isATypeProblem() {
        refusedOnlyFor(root -> root.putObject("fleet").put("min", "2"), "fleet.min",
                "expected a whole number", "\"2\"");
    }

    @Test
    void unknownField_isRefused_withDidYouMean() {
        refusedOnlyFor(root -> root.withObject("network").put("sshEnable", true), "network.sshEnable",
                "unknown field", "did you mean \"sshEnabled\"");
        refusedOnlyFor(root -> root.putObject("tag"), "tag", "did you mean \"tags\"");
        // a renamed required field: reported both as unknown (with the fix) and as missing
        assertThat(problemsOf(minimalWith(root -> root.withObject("network").put("vpc_id", "x").remove("vpcId"))))
                .containsExactly(new Problem("network.vpcId", "required: the id of the existing VPC, e.g. vpc-0123456789abcdef0"),
                        new Problem("network.vpc_id", "unknown field; did you mean \"vpcId\"?"));
    }

    @Test
    void unknownField_farFromAnyName_listsTheKnownOnes() {
        refusedOnlyFor(root -> root.put("colour", "blue"), "colour", "unknown field", "expected one of", "network");
    }

    @Test
    void unknownRole_isRefused() {
        refusedOnlyFor(root -> root.withObject("instances").putObject("web"), "instances.web",
                "unknown field", "db, mc, rmq, app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ami-123", "ami-0123456789ABCDEF0", "ubuntu-22.04", "/custom/golden-ami",
            "resolve:ssm:", "resolve:ssm:/bad name", "/aws/service//x"})
    void badAmiReference_isRefused(String ami) {
        refusedOnlyFor(root -> root.withObject("instances").withObject("app").put("ami", ami), "instances.app.ami");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ami-0123456789abcdef0", "ami-12345678",
            "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
            "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            "resolve:ssm:/golden/app:7", "resolve:ssm:golden-app:prod"})
    void goodAmiReference_isAccepted(String ami) {
        EnvironmentSpec spec = EnvironmentSpecs.parse(
                minimalWith(root -> root.withObject("instances").withObject("app").put("ami", ami)));

        assertThat(spec.instance(Role.APP).ami().value()).isEqualTo(ami);
    }

    @Test
    void ownParameterWithoutResolvePrefix_isRefused_withTheFix() {
        refusedOnlyFor(root -> root.withObject("instances").withObject("db").put("ami", "/golden/db"),
                "instances.db.ami", "resolve:ssm:/golden/db");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:acm:us-east-1:123456789012:certificate/not-a-uuid",
            "arn:aws:iam::123456789012:server-certificate/site",
            "arn:aws:acm:us-east-1:1234:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"})
    void badCertificateArn_isRefused(String arn) {
        refusedOnlyFor(root -> root.withObject("loadBalancer").put("certificateArn", arn),
                "loadBalancer.certificateArn", "ACM certificate ARN");
    }

    @Test
    void certificateFromAnotherRegion_isRefused() {
        refusedOnlyFor(root -> {
            root.put("region", "eu-west-1");
            root.withObject("loadBalancer").put("certificateArn",
                    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d");
        }, "loadBalancer.certificateArn", "us-east-1", "eu-west-1");
    }

    @Test
    void certificate_turnsHttpsOn() {
        EnvironmentSpec spec = EnvironmentSpecs.parse(minimalWith(root -> root.withObject("loadBalancer")
                .put("certificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/"
                        + "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d")));

        assertThat(spec.loadBalancer().httpsEnabled()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws:cloudformation:stack-name", "AWS:Owner", "pipeline:environment", "Pipeline:x"})
    void reservedTagPrefix_isRefused(String key) {
        refusedOnlyFor(root -> root.putObject("tags").put(key, "x"), "tags[\"" + key + "\"]", "reserved");
    }

    @Test
    void tagLimits_areAwsLimits() {
        refusedOnlyFor(root -> root.putObject("tags").put("k".repeat(129), "x"), "tags." + "k".repeat(129),
                "at most 128");
        refusedOnlyFor(root -> root.putObject("tags").put("owner", "v".repeat(257)), "tags.owner", "at most 256");
        refusedOnlyFor(root -> root.putObject("tags").put("owner", "a;b"), "tags.owner", "letters, digits");
        assertThatCode(() -> EnvironmentSpecs.parse(minimalWith(root -> root.putObject("tags")
                .put("k".repeat(128), "v".repeat(256))))).doesNotThrowAnyException();
    }

    @Test
    void tooLongEnvironmentName_isRefused_becauseElbNamesWouldExceed32() {
        String name = "a".repeat(29);

        refusedOnlyFor(root -> root.put("name", name), "name", "\"" + name + "-alb\"", "33 characters", "32",
                "at most 28");
    }

    @Test
    void longestAllowedName_givesAThirtyTwoCharacterLoadBalancerName() {
        EnvironmentSpec spec = EnvironmentSpecs.parse(minimalWith(root -> root.put("name", "a".repeat(28))));

        assertThat(spec.loadBalancerName()).hasSize(32);
        assertThat(spec.targetGroupName()).hasSizeLessThanOrEqualTo(32);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Shop", "1shop", "shop-", "shop_prod", "", "internal"})
    void badEnvironmentName_isRefused(String name) {
        refusedOnlyFor(root -> root.put("name", name), "name");
    }

    @Test
    void wrongSpecVersion_isTheOnlyProblemReported() {
        List<Problem> problems = problemsOf(minimalWith(root -> {
            root.put("specVersion", 2);
            root.put("futureField", true);
            root.remove("network");
        }));

        assertThat(problems).containsExactly(
                new Problem("specVersion", "unsupported version 2; this build reads version 1 only"));
    }

    @Test
    void missingSpecVersion_isReported_andTheRestStillChecked() {
        List<Problem> problems = problemsOf(minimalWith(root -> {
            root.remove("specVersion");
            root.withObject("network").put("adminCidr", "0.0.0.0/0");
        }));

        assertThat(problems).extracting(Problem::path).containsExactly("specVersion", "network.adminCidr");
    }

    @Test
    void malformedJson_isOneProblem_withLineAndColumn() {
        List<Problem> problems = problemsOf("{\n  \"specVersion\": 1,\n  \"name\": \"shop\"\n  \"network\": {}\n}");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("$");
            // the parser stops at the opening quote of "network": a comma was missing after "shop"
            assertThat(p.reason()).startsWith("malformed JSON at line 4, column 3");
        });
    }

    @Test
    void duplicateKeysAndTrailingContent_areMalformed() {
        assertThat(problemsOf("{\"name\": \"a\", \"name\": \"b\"}")).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("Duplicate field 'name'"));
        assertThat(problemsOf(SpecFixtures.MINIMAL + " {}")).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("unexpected content after the end"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[]", "\"vprofile\"", "null"})
    void documentThatIsNoObject_isRefused(String json) {
        assertThat(problemsOf(json)).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("$"));
    }

    @Test
    void appHostname_isRefused_becauseAppServersHaveNoDnsName() {
        refusedOnlyFor(root -> root.withObject("instances").withObject("app").put("hostname", "app01"),
                "instances.app.hostname", "no DNS name");
    }

    @Test
    void hostnameTakenByAnotherRolesDefault_isRefused() {
        refusedOnlyFor(root -> root.withObject("instances").withObject("db").put("hostname", "mc01"),
                "instances.db.hostname", "also the mc host name");
    }

    @Test
    void bootstrapWarUnderReleases_isRefused_becauseItWouldTriggerADeploy() {
        refusedOnlyFor(root -> root.withObject("artifacts").put("bootstrapWarKey", "releases/app.war"),
                "artifacts.bootstrapWarKey", "start a deploy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "My-Bucket", "my.bucket", "192.168.1.10", "xn--bucket", "wars-s3alias", "-wars"})
    void badBucketName_isRefused(String bucket) {
        refusedOnlyFor(root -> root.withObject("artifacts").put("bucket", bucket), "artifacts.bucket");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 604_801})
    void stickinessOutsideAwsRange_isRefused(int seconds) {
        refusedOnlyFor(root -> root.withObject("loadBalancer").put("stickinessSeconds", seconds),
                "loadBalancer.stickinessSeconds", "1 to 604800");
    }

    @Test
    void healthCheckTimeoutNotBelowInterval_isRefused() {
        refusedOnlyFor(root -> root.withObject("loadBalancer").withObject("healthCheck")
                .put("intervalSeconds", 10).put("timeoutSeconds", 10),
                "loadBalancer.healthCheck.timeoutSeconds", "less than intervalSeconds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"500", "200-199", "2xx", "200,", "login"})
    void badSuccessCodes_areRefused(String codes) {
        refusedOnlyFor(root -> root.withObject("loadBalancer").withObject("healthCheck").put("successCodes", codes),
                "loadBalancer.healthCheck.successCodes");
    }

    @ParameterizedTest
    @ValueSource(ints = {99, 201})
    void maxHealthyPercentageOutsideAwsRange_isRefused(int percent) {
        refusedOnlyFor(root -> root.withObject("deployment").put("maxHealthyPercentage", percent),
                "deployment.maxHealthyPercentage", "100 to 200");
    }

    @Test
    void healthyRangeWiderThan100_isRefused_asAwsRefusesIt() {
        // RefreshPreferences: "the difference between them cannot be greater than 100"
        refusedOnlyFor(root -> root.withObject("deployment").put("minHealthyPercentage", 50).put("maxHealthyPercentage", 200),
                "deployment.maxHealthyPercentage", "at most 100", "50");
    }

    @Test
    void lowerMinHealthyAlone_getsTheWidestMaxAwsAllows() {
        // a spec written before maxHealthyPercentage existed still reads: max defaults to min + 100, at most 200
        EnvironmentSpec spec = EnvironmentSpecs.parse(minimalWith(root -> root.withObject("deployment").put("minHealthyPercentage", 90)));

        assertThat(spec.deployment().minHealthyPercentage()).isEqualTo(90);
        assertThat(spec.deployment().maxHealthyPercentage()).isEqualTo(190);
    }

    @Test
    void strategy_isBakeUnlessTheSpecAsksForInPlace_andAnythingElseIsRefusedByName() {
        assertThat(EnvironmentSpecs.parse(minimalWith(root -> root.withObject("deployment").put("bakeTimeSeconds", 0)))
                .deployment().strategy()).isEqualTo(Deployment.Strategy.BAKE);
        EnvironmentSpec inPlace = EnvironmentSpecs.parse(minimalWith(root -> root.withObject("deployment").put("strategy", "in-place-then-bake")));
        assertThat(inPlace.deployment().strategy()).isEqualTo(Deployment.Strategy.IN_PLACE_THEN_BAKE);
        // written back and read again, it stays (the manifest the deploy workflow reads is written this way)
        assertThat(EnvironmentSpecs.parse(EnvironmentSpecs.toJson(inPlace)).deployment().strategy())
                .isEqualTo(Deployment.Strategy.IN_PLACE_THEN_BAKE);
        refusedOnlyFor(root -> root.withObject("deployment").put("strategy", "in-place"),
                "deployment.strategy", "\"bake\" or \"in-place-then-bake\"", "in-place");
    }

    @Test
    void bakeTimeBeyondAnHour_isRefused() {
        refusedOnlyFor(root -> root.withObject("deployment").put("bakeTimeSeconds", 7200),
                "deployment.bakeTimeSeconds", "0 to 3600", "7200");
    }

    @Test
    void alarmThresholdsOutOfRange_areRefusedEachByName() {
        refusedOnlyFor(root -> root.withObject("deployment").withObject("alarms").put("target5xxPerMinute", 0),
                "deployment.alarms.target5xxPerMinute", "1 to 1000000", "0");
        refusedOnlyFor(root -> root.withObject("deployment").withObject("alarms").put("lowCapacityMinutes", 0),
                "deployment.alarms.lowCapacityMinutes", "1 to 60", "0");
        refusedOnlyFor(root -> root.withObject("deployment").withObject("alarms").put("lowCapacityMinutes", 61),
                "deployment.alarms.lowCapacityMinutes", "1 to 60", "61");
        refusedOnlyFor(root -> root.withObject("deployment").withObject("alarms").put("target5xx", 3),
                "deployment.alarms.target5xx", "target5xxPerMinute");
    }

    @Test
    void alarmsPartlyGiven_keepTheOtherDefaults() {
        EnvironmentSpec spec = EnvironmentSpecs.parse(minimalWith(root -> root.withObject("deployment")
                .put("bakeTimeSeconds", 0).withObject("alarms").put("target5xxPerMinute", 50)));

        assertThat(spec.deployment().bakeTimeSeconds()).isZero();
        assertThat(spec.deployment().alarms()).isEqualTo(new Deployment.Alarms(50, 2));
    }

    @Test
    void inPlaceConfig_defaultsToOneAtATime_andTakesHalfAtATime() {
        EnvironmentSpec absent = EnvironmentSpecs.parse(minimalWith(root -> root.withObject("deployment").put("bakeTimeSeconds", 0)));
        EnvironmentSpec half = EnvironmentSpecs.parse(minimalWith(root -> root.withObject("deployment").withObject("inPlace")
                .put("config", "CodeDeployDefault.HalfAtATime")));

        assertThat(absent.deployment().inPlace().config()).isEqualTo("CodeDeployDefault.OneAtATime");
        assertThat(half.deployment().inPlace().config()).isEqualTo("CodeDeployDefault.HalfAtATime");
        // and it survives the round trip through the workflow state
        assertThat(EnvironmentSpecs.fromTree(EnvironmentSpecs.toTree(half)).deployment().inPlace())
                .isEqualTo(half.deployment().inPlace());
    }

    @Test
    void inPlaceAllAtOnce_isRefused_becauseTheSiteWouldGoDark() {
        refusedOnlyFor(root -> root.withObject("deployment").withObject("inPlace").put("config", "CodeDeployDefault.AllAtOnce"),
                "deployment.inPlace.config", "every instance out of the target group", "goes dark",
                "CodeDeployDefault.OneAtATime, CodeDeployDefault.HalfAtATime");
    }

    @Test
    void inPlaceUnknownConfigOrField_isRefusedByName() {
        refusedOnlyFor(root -> root.withObject("deployment").withObject("inPlace").put("config", "OneAtATime"),
                "deployment.inPlace.config", "expected one of", "\"OneAtATime\"");
        refusedOnlyFor(root -> root.withObject("deployment").withObject("inPlace").put("strategy", "x"),
                "deployment.inPlace.strategy");
    }

    @Test
    void keepingFewerThanTwoReleases_isRefused_becauseRollbackNeedsOne() {
        refusedOnlyFor(root -> root.withObject("artifacts").put("keepReleases", 1), "artifacts.keepReleases",
                "roll back");
    }

    @Test
    void severalProblems_areAllReportedAtOnce() {
        // given a spec with seven independent mistakes
        String json = minimalWith(root -> {
            root.put("name", "Shop");
            root.withObject("network").remove("vpcId");
            root.withObject("network").put("adminCidr", "0.0.0.0/0");
            root.withObject("instances").withObject("rmq").put("ami", "rabbit");
            root.putObject("fleet").put("min", 5).put("max", 2);
            root.putObject("tags").put("aws:x", "y");
            root.put("extra", 1);
        });

        // when parsed
        List<Problem> problems = problemsOf(json);

        // then each is reported, with its own path
        assertThat(problems).extracting(Problem::path).containsExactlyInAnyOrder("name", "network.vpcId",
                "network.adminCidr", "instances.rmq.ami", "fleet.min", "tags[\"aws:x\"]", "extra");
    }

    @Test
    void exceptionMessage_listsEveryProblem() {
        InvalidSpecException refused = new InvalidSpecException(List.of(
                new Problem("network.vpcId", "required"), new Problem("fleet.min", "too big")));

        assertThat(refused.getMessage()).isEqualTo(
                "environment spec has 2 problems:\n  - network.vpcId: required\n  - fleet.min: too big");
    }
}
