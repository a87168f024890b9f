package dev.pipeline.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.codedeploy.DeploymentGroupView;
import dev.pipeline.provision.loadbalancer.HealthCheckSettings;
import dev.pipeline.provision.network.Peer;
import dev.pipeline.provision.network.SgRule;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.EnvironmentSpecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;


/** A spec, manifest and in-sync snapshot for the pure drift tests, and a builder to change the snapshot. */
final class DriftFixtures {
    static final String TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/vprofile-tg/1";
    static final String ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/vprofile-alb/1";
    static final String GOLDEN = "ami-0000000000000g01";
    static final EnvironmentSpec spec = EnvironmentSpecs.parse(example());
    static final Desired want = Desired.of(spec, manifest(), "vprofile-artifacts");

    private DriftFixtures() {}

    /** A mutable copy of a snapshot. */
    static final class Builder {
        Map<String, Snapshot.SecurityGroup> groups;
        Map<String, Snapshot.Instance> instances;
        Optional<Snapshot.Zone> zone;
        Map<String, String> records;
        Optional<Snapshot.TargetGroup> tg;
        List<Snapshot.Listener> listeners;
        Optional<Snapshot.LoadBalancer> lb;
        Optional<Snapshot.Group> group;
        Optional<Snapshot.LaunchTemplate> lt;
        Optional<String> image;
        Optional<Snapshot.Bucket> bucket;
        Map<Area, String> unreadable = new HashMap<>();
        Map<String, Long> ttls;
        Optional<Map<String, dev.pipeline.provision.alarms.AlarmDefinition>> alarms;
        Optional<DeploymentGroupView> deploymentGroup;
        boolean deploymentGroupRead;

        Builder(Snapshot s) {
            deploymentGroup = s.deploymentGroup();
            deploymentGroupRead = s.deploymentGroupRead();
            alarms = s.alarms().map(HashMap::new);
            ttls = new HashMap<>(s.recordTtls());
            groups = new HashMap<>(s.securityGroups());
            instances = new HashMap<>(s.instances());
            zone = s.zone();
            records = new HashMap<>(s.records());
            tg = s.targetGroup();
            listeners = s.listeners();
            lb = s.loadBalancer();
            group = s.group();
            lt = s.launchTemplate();
            image = s.imageState();
            bucket = s.bucket();
        }

        void group(String id, java.util.function.Consumer<List<SgRule>> edit) {
            Snapshot.SecurityGroup g = groups.get(id);
            List<SgRule> rules = new ArrayList<>(g.rules());
            edit.accept(rules);
            groups.put(id, new Snapshot.SecurityGroup(id, g.name(), rules));
        }

        void instance(String id, UnaryOperator<Snapshot.Instance> edit) {
            instances.put(id, edit.apply(instances.get(id)));
        }

        Snapshot build() {
            return new Snapshot(groups, instances, zone, records, tg, listeners, lb, group, lt, image, bucket, unreadable, ttls, alarms,
                    deploymentGroup, deploymentGroupRead);
        }
    }

    static Snapshot with(Snapshot s, java.util.function.Consumer<Builder> edit) {
        Builder b = new Builder(s);
        edit.accept(b);
        return b.build();
    }

    /** What the environment looks like right after provisioning, as moto reports it. */
    static Snapshot clean() {
        Map<String, Snapshot.SecurityGroup> groups = new HashMap<>();
        want.rules().forEach((component, rules) -> {
            String id = want.groupIds().get(component);
            // moto drops descriptions of group-referencing rules: the rules must not care
            List<SgRule> reported = rules.stream().map(r -> r.peer().kind() == Peer.Kind.GROUP
                    ? new SgRule(r.egress(), r.protocol(), r.fromPort(), r.toPort(), r.peer(), null) : r).toList();
            groups.put(id, new Snapshot.SecurityGroup(id, spec.resourceName(component), reported));
        });
        Map<String, Snapshot.Instance> instances = Map.of(
                "i-db", new Snapshot.Instance("i-db", "db01", "running", "t3.small", "required", "10.40.2.10", "ami-base"),
                "i-mc", new Snapshot.Instance("i-mc", "mc01", "running", "t3.micro", "required", "10.40.2.11", "ami-base"),
                "i-rmq", new Snapshot.Instance("i-rmq", "rmq01", "running", "t3.small", "required", "10.40.2.12", "ami-base"));
        Map<String, String> records = Map.of("db01.vprofile.in", "10.40.2.10", "mc01.vprofile.in", "10.40.2.11",
                "rmq01.vprofile.in", "10.40.2.12");
        var tg = new Snapshot.TargetGroup(TG, "HTTP", 8080, want.healthCheck(), Map.of("stickiness.enabled", "true",
                "stickiness.type", "lb_cookie", "stickiness.lb_cookie.duration_seconds", "86400", "deregistration_delay.timeout_seconds", "30"));
        return new Snapshot(groups, instances, Optional.of(new Snapshot.Zone("Z1", "vprofile.in", List.of(spec.network().vpcId()))),
                records, Optional.of(tg), List.of(new Snapshot.Listener("l1", 80, "HTTP", "forward", List.of(TG))),
                Optional.of(new Snapshot.LoadBalancer(ALB, List.of("sg-alb"))),
                Optional.of(new Snapshot.Group("vprofile-asg", 1, 2, 4, List.of(TG), "ELB", "lt-1", "1", Map.of("i-app1", GOLDEN, "i-app2", GOLDEN))),
                Optional.of(new Snapshot.LaunchTemplate("lt-1", 1, GOLDEN, "required", true, 1)), Optional.of("available"),
                Optional.of(new Snapshot.Bucket("vprofile-artifacts", "Enabled", "AES256", true)), Map.of(),
                Map.of("db01.vprofile.in", 60L, "mc01.vprofile.in", 60L, "rmq01.vprofile.in", 60L),
                Optional.of(want.alarms().stream().collect(java.util.stream.Collectors.toMap(
                        dev.pipeline.provision.alarms.AlarmDefinition::name, a -> a))))
                .withDeploymentGroup(Optional.of(deploymentGroup()));
    }

    /** The deployment group as provisioning makes it (GetDeploymentGroup's view). */
    static DeploymentGroupView deploymentGroup() {
        return new DeploymentGroupView("vprofile", "vprofile-fleet", "dg-1", "arn:aws:iam::123456789012:role/vprofile-CodeDeployServiceRole",
                List.of("vprofile-app"), List.of("vprofile-tg"), "CodeDeployDefault.OneAtATime", "IN_PLACE", "WITH_TRAFFIC_CONTROL",
                true, java.util.Set.of("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"),
                true, List.of("vprofile-target-5xx"));
    }

    static JsonNode manifest() {
        ObjectNode m = JsonHandler.JSON.createObjectNode();
        m.putObject("securityGroups").put("albGroupId", "sg-alb").put("appGroupId", "sg-app").put("backendGroupId", "sg-backend");
        ObjectNode inst = m.putObject("backends").putObject("instances");
        inst.putObject("db01").put("instanceId", "i-db").put("privateIp", "10.40.2.10");
        inst.putObject("mc01").put("instanceId", "i-mc").put("privateIp", "10.40.2.11");
        inst.putObject("rmq01").put("instanceId", "i-rmq").put("privateIp", "10.40.2.12");
        m.putObject("dns").put("zoneId", "Z1").put("zoneName", "vprofile.in").putObject("records")
                .put("db01.vprofile.in", "10.40.2.10").put("mc01.vprofile.in", "10.40.2.11").put("rmq01.vprofile.in", "10.40.2.12");
        m.putObject("loadBalancer").put("targetGroupArn", TG).put("loadBalancerArn", ALB);
        m.putObject("launchTemplate").put("launchTemplateId", "lt-1").put("version", "1");
        m.putObject("fleet").put("groupName", "vprofile-asg");
        return m;
    }

    static String example() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/vprofile.json");
            if (Files.isRegularFile(candidate)) {
                try {
                    return Files.readString(candidate);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("examples/vprofile.json not found");
    }
}
